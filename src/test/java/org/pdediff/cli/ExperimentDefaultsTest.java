package org.pdediff.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.RecordComponent;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.pdediff.experiment.ConcentrationExperiment;
import org.pdediff.experiment.LiYauExperiment;
import org.pdediff.experiment.LpStabilityExperiment;
import org.pdediff.experiment.MemorisationExperiment;
import org.pdediff.experiment.OdeSdeGapExperiment;
import org.pdediff.experiment.OneDatumExperiment;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The experiment options' defaults are read from {@code Params.defaults(quick)} (through {@link ExperimentDefaults}):
 * an option left out parses to the experiment's full-size default, and every option default shown in --help is one.
 */
class ExperimentDefaultsTest {
    private static final Map<String, Record[]> DEFAULTS = Map.of(
            "one-datum", new Record[] {OneDatumExperiment.Params.defaults(false), OneDatumExperiment.Params.defaults(true)},
            "memorisation", new Record[] {MemorisationExperiment.Params.defaults(false), MemorisationExperiment.Params.defaults(true)},
            "concentration", new Record[] {ConcentrationExperiment.Params.defaults(false), ConcentrationExperiment.Params.defaults(true)},
            "lp-stability", new Record[] {LpStabilityExperiment.Params.defaults(false), LpStabilityExperiment.Params.defaults(true)},
            "li-yau", new Record[] {LiYauExperiment.Params.defaults(false), LiYauExperiment.Params.defaults(true)},
            "ode-sde-gap", new Record[] {OdeSdeGapExperiment.Params.defaults(false), OdeSdeGapExperiment.Params.defaults(true)});

    @Test
    void optionDefaultsAreTheExperimentsParamsDefaults() throws Exception {
        int checked = 0;
        for (Map.Entry<String, Record[]> e : DEFAULTS.entrySet()) {
            CommandLine root = Main.commandLine();
            root.parseArgs("experiment", e.getKey(), "--out", "unused");
            CommandLine sub = root.getSubcommands().get("experiment").getSubcommands().get(e.getKey());
            for (OptionSpec o : sub.getCommandSpec().options()) {
                if (o.defaultValue() == null || !(o.userObject() instanceof Field f) || !has(e.getValue()[0], f.getName())) {
                    continue;
                }
                String component = f.getName();
                Object full = value(e.getValue()[0], component);
                assertThat(ExperimentDefaults.format(full)).as(e.getKey() + " " + o.longestName())
                        .isEqualTo(ExperimentDefaults.format(value(e.getValue()[1], component)));
                f.setAccessible(true);
                Object parsed = f.get(sub.getCommand());
                assertThat(Objects.toString(parsed).toLowerCase(java.util.Locale.ROOT)).as(e.getKey() + " " + o.longestName())
                        .isEqualTo(Objects.toString(full).toLowerCase(java.util.Locale.ROOT));
                checked++;
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(17);
    }

    private static boolean has(Record r, String component) {
        for (RecordComponent c : r.getClass().getRecordComponents()) {
            if (c.getName().equals(component)) {
                return true;
            }
        }
        return false;
    }

    private static Object value(Record r, String component) throws ReflectiveOperationException {
        for (RecordComponent c : r.getClass().getRecordComponents()) {
            if (c.getName().equals(component)) {
                return c.getAccessor().invoke(r);
            }
        }
        throw new AssertionError("no component " + component + " in " + r.getClass());
    }
}
