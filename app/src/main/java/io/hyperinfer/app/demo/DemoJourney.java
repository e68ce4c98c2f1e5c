package io.hyperinfer.app.demo;

import java.util.ArrayList;
import java.util.List;

/**
 * The demo's steps in order: start the whole network (Gateway, Auth, two Processors, a Client), walk the Auth journey,
 * then the inference journey, then shut down. Parts of the system add their steps here; {@link
 * AuthDemoSteps#startAuth()} alone starts an Auth-only network.
 */
public final class DemoJourney {
  private DemoJourney() {}

  public static List<DemoStep> steps() {
    List<DemoStep> steps = new ArrayList<>();
    steps.add(InferenceDemoSteps.startNetwork());
    steps.addAll(AuthDemoSteps.journey());
    steps.addAll(InferenceDemoSteps.journey());
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
