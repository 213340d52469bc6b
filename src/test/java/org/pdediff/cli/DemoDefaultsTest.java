package org.pdediff.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.pdediff.experiment.demo.Demo;
import picocli.CommandLine;

/** {@code pdediff demo} without options runs the pipeline's defaults. */
class DemoDefaultsTest {
    @Test
    void theOptionDefaultsAreThePipelines() {
        DemoCommand cmd = new DemoCommand();
        new CommandLine(cmd).parseArgs();
        assertThat(cmd.params()).isEqualTo(Demo.Params.defaults());
    }
}
