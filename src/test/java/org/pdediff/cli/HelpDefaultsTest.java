package org.pdediff.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** Every option in every command's --help shows its default (a default value, or the word "default" in its text). */
class HelpDefaultsTest {
    private static void collect(CommandLine cl, List<String> missing) {
        CommandSpec spec = cl.getCommandSpec();
        for (OptionSpec o : spec.options()) {
            if (o.usageHelp() || o.versionHelp() || o.required() || o.hidden()) {
                continue;
            }
            boolean flag = o.arity().max() == 0;
            String text = String.join(" ", o.description()).toLowerCase(Locale.ROOT);
            boolean shown = (o.defaultValue() != null && spec.usageMessage().showDefaultValues())
                    || text.contains("default") || (flag && text.contains("off"));
            if (!shown && !flag) {
                missing.add(spec.qualifiedName() + " " + o.longestName());
            }
        }
        for (CommandLine sub : cl.getSubcommands().values()) {
            if (!sub.getCommandSpec().usageMessage().hidden()) {
                collect(sub, missing);
            }
        }
    }

    @Test
    void everyValuedOptionShowsItsDefault() {
        List<String> missing = new ArrayList<>();
        collect(Main.commandLine(), missing);
        assertThat(missing).isEmpty();
    }
}
