package org.pdediff.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdediff.core.Batch;
import org.pdediff.core.InvalidInputException;

/** CSV cells are plain decimal numbers, a header matches the rows, and file: honours n and seed as documented. */
class CsvStrictnessTest {
    @TempDir
    Path dir;

    private static Batch read(String text) throws Exception {
        return Csv.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "t.csv", -1);
    }

    @Test
    void onlyPlainDecimalsAreNumbers() throws Exception {
        for (String ok : new String[] {"1", "-1", "+1.5", ".5", "5.", "1e3", "1E-3", "-0.25e+2"}) {
            assertThat(Csv.isDecimal(ok)).as(ok).isTrue();
        }
        for (String bad : new String[] {"1d", "2f", "0x1p3", "Infinity", "NaN", "1e", ".", "-", "1_000", "1,5", "", "e3", "1.2.3"}) {
            assertThat(Csv.isDecimal(bad)).as(bad).isFalse();
        }
        assertThatThrownBy(() -> read("1d,2\n")).isInstanceOf(InvalidInputException.class).hasMessageContaining("'1d' is not a decimal");
        assertThatThrownBy(() -> read("1,0x1p3\n")).isInstanceOf(InvalidInputException.class).hasMessageContaining("line 1, field 2");
        assertThatThrownBy(() -> read("1,NaN\n")).isInstanceOf(InvalidInputException.class).hasMessageContaining("non-finite");
        assertThatThrownBy(() -> read("1,1e400\n")).isInstanceOf(InvalidInputException.class).hasMessageContaining("non-finite");
        assertThat(read("x1,x2\n-1.5,.25\n").get(0, 1)).isEqualTo(0.25);
    }

    @Test
    void aHeaderMustHaveAsManyColumnsAsTheRows() {
        assertThatThrownBy(() -> read("a,b,c\n1,2\n3,4\n")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("line 2").hasMessageContaining("header has 3 columns");
    }

    @Test
    void fileSpecHonoursNAndSeedAndRefusesTheRest() throws Exception {
        StringBuilder sb = new StringBuilder("x1,x2\n");
        for (int i = 0; i < 10; i++) {
            sb.append(i).append(',').append(-i).append('\n');
        }
        Path f = Files.writeString(dir.resolve("p.csv"), sb.toString());
        assertThat(DataSets.parse("file:" + f).size()).isEqualTo(10);
        DataSet first = DataSets.parse("file:" + f + ",n=3");
        assertThat(first.points().get(2, 0)).isEqualTo(2);
        DataSet s1 = DataSets.parse("file:" + f + ",n=4,seed=1");
        DataSet s1again = DataSets.parse("file:" + f + ",seed=1,n=4");
        DataSet s2 = DataSets.parse("file:" + f + ",n=4,seed=2");
        assertThat(s1.points().data()).isEqualTo(s1again.points().data());
        assertThat(s1.points().data()).isNotEqualTo(s2.points().data());
        assertThat(s1.spec()).endsWith(",n=4,seed=1");
        assertThat(DataSets.parse(s1.spec()).points().data()).isEqualTo(s1.points().data());
        assertThatThrownBy(() -> DataSets.parse("file:" + f + ",n=11")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("more rows than").hasMessageContaining("(10)");
        assertThatThrownBy(() -> DataSets.parse("file:" + f + ",foo=1")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("unknown key 'foo'");
        assertThatThrownBy(() -> DataSets.parse("file:" + f + ",n=x")).isInstanceOf(InvalidInputException.class);
    }
}
