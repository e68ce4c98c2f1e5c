package io.hyperinfer.app.demo;

import java.util.ArrayList;
import java.util.List;

/**
 * The demo's steps in order. Later parts of the system add their steps here: start their workers after
 * {@link AuthDemoSteps#startAuth()}, and walk their journey after the Auth journey, before the shutdown.
 */
public final class DemoJourney {
  private DemoJourney() {}

  public static List<DemoStep> steps() {
    List<DemoStep> steps = new ArrayList<>();
    steps.add(AuthDemoSteps.startAuth());
    steps.addAll(AuthDemoSteps.journey());
    steps.add(shutdown());
    return steps;
  }

  /** Stops every worker in reverse start order and checks none is left running. */
  public static DemoStep shutdown() {
    return DemoStep.of("Shut the network down", ctx -> {
      boolean clean = ctx.shutdown();
      DemoFailure.check(clean && ctx.runningWorkers() == 0, "a worker did not stop cleanly");
      return "every worker drained and stopped";
    });
  }
}
