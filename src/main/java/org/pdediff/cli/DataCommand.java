package org.pdediff.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.pdediff.core.AtomicFiles;
import org.pdediff.data.Csv;
import org.pdediff.data.DataSet;
import org.pdediff.data.DataSets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pdediff data --data SPEC --out FILE.csv}: writes a data set. */
@Command(name = "data", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Write a data set as CSV (header x1..xd). Catalogue: " + DataSets.NAMES)
public final class DataCommand implements Callable<Integer> {
    @Mixin
    SharedOptions.Data data = new SharedOptions.Data("moons");

    @Option(names = "--out", required = true, description = "Output CSV file; - for standard output (a device or FIFO is written to as a stream).")
    Path out;

    @Override
    public Integer call() throws java.io.IOException {
        if (!AtomicFiles.isStdout(out)) {
            AtomicFiles.requireWritableFile(out);
        }
        DataSet ds = DataSets.parse(data.value);
        if (AtomicFiles.isStdout(out)) {
            Csv.write(System.out, ds.points());
            System.out.flush();
        } else {
            Csv.write(out, ds.points());
        }
        return 0;
    }
}
