package org.pdediff.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pdediff.core.Batch;
import org.pdediff.core.InvalidInputException;
import org.pdediff.core.RandomStream;

class CsvTest {
    @TempDir
    Path dir;

    private Path file(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    @Test
    void roundTripIsBitForBit() {
        double[] special = {0.1, 1.0 / 3, -0.0, 0.0, Double.MIN_VALUE, Double.MAX_VALUE, -Double.MIN_NORMAL, 1e-300,
            123456789.123456789, Math.PI, -Math.E, 1e21, 5e-324 * 3};
        int n = 40;
        Batch b = Batch.zeros(n, 3);
        RandomStream.of(1).fillNormal(b, 0, 0);
        for (int k = 0; k < b.data().length; k++) {
            b.data()[k] = k < special.length ? special[k] : b.data()[k] * Math.pow(10, (k % 41) - 20);
        }
        Path p = dir.resolve("out/x.csv");
        Csv.write(p, b);
        Batch back = Csv.read(p);
        assertThat(back.size()).isEqualTo(n);
        assertThat(back.dim()).isEqualTo(3);
        for (int k = 0; k < b.data().length; k++) {
            assertThat(Double.doubleToRawLongBits(back.data()[k])).as("entry %d", k)
                    .isEqualTo(Double.doubleToRawLongBits(b.data()[k]));
        }
    }

    @Test
    void headerIsDetectedAndBlankLinesSkipped() throws IOException {
        Batch h = Csv.read(file("h.csv", "x,y\n1,2\n\n3.5,-4e-3\n"));
        assertThat(h.data()).containsExactly(1, 2, 3.5, -4e-3);
        Batch noHeader = Csv.read(file("n.csv", "1,2\r\n 3 , 4 \r\n"));
        assertThat(noHeader.data()).containsExactly(1, 2, 3, 4);
        Batch single = Csv.read(file("s.csv", "value\n-.5\n+2\n"));
        assertThat(single.data()).containsExactly(-0.5, 2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"infected,recovered", "info,x", "Infinity_count,n", "nan_fraction,y", "#x,y"})
    void headersThatMerelyStartLikeNumbersAreHeaders(String header) throws IOException {
        // only a first field that starts like a number (digit, sign, '.') or spells a non-finite number makes the
        // first line data
        Batch b = Csv.read(file("hd.csv", header + "\n1,2\n"));
        assertThat(b.data()).containsExactly(1, 2);
    }

    @Test
    void malformedLineReportsItsLineNumber() throws IOException {
        assertThatThrownBy(() -> Csv.read(file("m.csv", "x,y\n1,2\n\n3,abc\n"))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("line 4").hasMessageContaining("abc").hasMessageContaining("m.csv");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1,NaN\n", "Infinity,1\n", "1,2\n3,-Infinity\n", "x,y\n1,nan\n", "NaN,1\n", "1,inf\n"})
    void nonFiniteValuesAreRejected(String content) throws IOException {
        Path p = file("nf.csv", content);
        assertThatThrownBy(() -> Csv.read(p)).isInstanceOf(InvalidInputException.class).hasMessageContaining("line");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "\n\n  \n", "x,y\n", "x,y\n\n"})
    void emptyFilesAreRejected(String content) throws IOException {
        Path p = file("e.csv", content);
        assertThatThrownBy(() -> Csv.read(p)).isInstanceOf(InvalidInputException.class).hasMessageContaining("no data");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1,2\n3\n", "1,2\n3,4,5\n", "x,y\n1,2\n3,4\n5,6,\n", "1,2\n,\n"})
    void raggedOrEmptyFieldRowsAreRejected(String content) throws IOException {
        Path p = file("r.csv", content);
        assertThatThrownBy(() -> Csv.read(p)).isInstanceOf(InvalidInputException.class).hasMessageContaining("line");
    }

    @Test
    void missingFileAndUnwritableTargetAreInvalidInput() throws IOException {
        assertThatThrownBy(() -> Csv.read(dir.resolve("none.csv"))).isInstanceOf(InvalidInputException.class);
        Path plain = file("plain", "x");
        assertThatThrownBy(() -> Csv.write(plain.resolve("a.csv"), Batch.zeros(1, 1))).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void fileSpecReadsAllRowsOrTheFirstN() throws IOException {
        Batch b = Batch.ofRows(new double[] {1, 2}, new double[] {3, 4}, new double[] {5, 6}, new double[] {7, 8}, new double[] {9, 10});
        Path p = dir.resolve("pts.csv");
        Csv.write(p, b);
        DataSet all = DataSets.parse("file:" + p);
        assertThat(all.points().data()).containsExactly(b.data());
        assertThat(all.law()).isEmpty();
        DataSet three = DataSets.parse("file:" + p + ",n=3");
        assertThat(three.points().data()).containsExactly(b.rows(0, 3).data());
        // asking for more rows than the file has is an error that says so (it used to give all 5 silently)
        assertThatThrownBy(() -> DataSets.parse("file:" + p + ",n=99")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("more rows");
        assertThatThrownBy(() -> DataSets.parse("file:" + p + ",n=0")).isInstanceOf(InvalidInputException.class);
        // the spec of a file set records n, so that it rebuilds the same points (provenance)
        assertThat(DataSets.parse(three.spec()).points().data()).containsExactly(three.points().data());
        assertThat(DataSets.parse(all.spec()).points().data()).containsExactly(all.points().data());
        // a path that itself contains a comma and a colon
        Path odd = dir.resolve("a,b:c.csv");
        Csv.write(odd, b);
        assertThat(DataSets.parse("file:" + odd).size()).isEqualTo(5);
        assertThat(DataSets.parse("file:" + odd + ",n=2").size()).isEqualTo(2);
    }
}
