package io.hyperinfer.app.demo;

import io.hyperinfer.app.launch.Child;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo's steps in order: start the whole network (Gateway, Auth, two Processors, a Client), show a stranger
 * ignored, walk the Auth journey, then the inference journey, then shut down. Parts of the system add their steps here; {@link
 * AuthDemoSteps#startAuth()} alone starts an Auth-only network.
 */
public final class DemoJourney {
  private DemoJourney() {}

  public static List<DemoStep> steps() {
    List<DemoStep> steps = new ArrayList<>();
    steps.add(InferenceDemoSteps.startNetwork());
    steps.add(TrustDemoSteps.stranger());
    steps.addAll(AuthDemoSteps.journey());
    steps.addAll(InferenceDemoSteps.journey());
    steps.add(shutdown());
    return steps;
  }

  /** Stops every process (workers first, with SIGTERM) and checks each exited cleanly and none is left running. */
  public static DemoStep shutdown() {
    return DemoStep.of("Shut the network down (SIGTERM to every process)", ctx -> {
      List<Child> children = ctx.network().children();
      boolean clean = ctx.shutdown();
      DemoFailure.check(clean, "a process did not stop cleanly: exit statuses " + ctx.exitStatuses());
      DemoFailure.check(children.stream().noneMatch(Child::isAlive), "a process is still running");
      long stopped = ctx.exitStatuses().values().stream().filter(s -> s != null && s == 0).count();
      return stopped + " of " + children.size() + " processes drained, closed their stores and exited with status 0"
          + (stopped < children.size() ? "; the others had been killed on purpose earlier" : "");
    });
  }
}
