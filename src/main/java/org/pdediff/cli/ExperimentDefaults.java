package org.pdediff.cli;

import java.lang.reflect.Array;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.ListResourceBundle;
import java.util.Locale;
import org.pdediff.experiment.ConcentrationExperiment;
import org.pdediff.experiment.LiYauExperiment;
import org.pdediff.experiment.LpStabilityExperiment;
import org.pdediff.experiment.MemorisationExperiment;
import org.pdediff.experiment.OdeSdeGapExperiment;
import org.pdediff.experiment.OneDatumExperiment;

/**
 * The experiments' option defaults, read from each experiment's {@code Params.defaults(quick)} (their one place), as
 * the picocli resource bundle of {@code pdediff experiment}: key {@code default.NAME.COMPONENT} is the full-size
 * default of record component COMPONENT of experiment NAME, {@code default.NAME.COMPONENT.quick} its {@code --quick}
 * default. Option annotations use them as {@code defaultValue = "${bundle:default.one-datum.T}"} (a default that does
 * not depend on --quick) or in their description text (one that does: the option stays null and the command takes
 * the default of the size asked for).
 */
public final class ExperimentDefaults extends ListResourceBundle {
    @Override
    protected Object[][] getContents() {
        List<Object[]> rows = new ArrayList<>();
        add(rows, "one-datum", OneDatumExperiment.Params.defaults(false), OneDatumExperiment.Params.defaults(true));
        add(rows, "memorisation", MemorisationExperiment.Params.defaults(false), MemorisationExperiment.Params.defaults(true));
        add(rows, "concentration", ConcentrationExperiment.Params.defaults(false), ConcentrationExperiment.Params.defaults(true));
        add(rows, "lp-stability", LpStabilityExperiment.Params.defaults(false), LpStabilityExperiment.Params.defaults(true));
        add(rows, "li-yau", LiYauExperiment.Params.defaults(false), LiYauExperiment.Params.defaults(true));
        add(rows, "ode-sde-gap", OdeSdeGapExperiment.Params.defaults(false), OdeSdeGapExperiment.Params.defaults(true));
        return rows.toArray(new Object[0][]);
    }

    private static void add(List<Object[]> rows, String name, Record full, Record quick) {
        for (RecordComponent c : full.getClass().getRecordComponents()) {
            rows.add(new Object[] {"default." + name + "." + c.getName(), format(value(c, full))});
            rows.add(new Object[] {"default." + name + "." + c.getName() + ".quick", format(value(c, quick))});
        }
    }

    private static Object value(RecordComponent c, Record r) {
        try {
            return c.getAccessor().invoke(r);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("experiment defaults: " + c, e);
        }
    }

    /** A value as an option takes it: 5 for 5.0, 1e-5 for 1.0E-5, arrays comma-separated, enums in lower case. */
    static String format(Object v) {
        if (v == null) {
            return "";
        }
        if (v.getClass().isArray()) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < Array.getLength(v); i++) {
                sb.append(i > 0 ? "," : "").append(format(Array.get(v, i)));
            }
            return sb.toString();
        }
        if (v instanceof Double d) {
            String s = Double.toString(d);
            s = s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
            return s.replace(".0E", "e").replace('E', 'e');
        }
        if (v instanceof Enum<?> e) {
            return e.name().toLowerCase(Locale.ROOT);
        }
        return v.toString();
    }
}
