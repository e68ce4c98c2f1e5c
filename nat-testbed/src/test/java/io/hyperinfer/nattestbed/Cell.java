package io.hyperinfer.nattestbed;

import io.hyperinfer.testkit.NatPeer.ConnectResult;
import io.hyperinfer.testkit.NatPeer.Outcome;
import java.util.List;
import java.util.Map;

/**
 * One cell of the matrix: a client peer connecting to a server peer with given options, and what the pinned JS
 * does there (the baseline every implementation must match).
 */
record Cell(String name, String client, String server, Map<String, Object> listenOpts,
    Map<String, Object> connectOpts, Expect expect) {

  /** The JS baseline of a cell, checked against every trial. */
  enum Expect {
    /** Every trial connects, directly or by punching. */
    CONNECTS,
    /** At least one trial connects: a random (birthday) punch succeeds with high probability, not always. */
    CONNECTS_MOSTLY,
    /** Every trial fails: two random NATs cannot be punched and no relay is offered. */
    FAILS,
    /** Every trial connects through the blind relay. */
    RELAYED,
    /** Every trial connects directly over the shared LAN, to the server's private address. */
    LAN_DIRECT
  }

  /** Why the trials break the baseline, or null when they keep it. */
  String violation(List<ConnectResult> trials) {
    long connected = trials.stream().filter(ConnectResult::connected).count();
    return switch (expect) {
      case CONNECTS -> connected == trials.size() ? null : "every trial must connect";
      case CONNECTS_MOSTLY -> connected > 0 ? null : "at least one trial must connect";
      case FAILS -> connected == 0 ? null : "no trial may connect between two random NATs without a relay";
      case RELAYED -> trials.stream().allMatch(t -> t.outcome() == Outcome.RELAYED) ? null
          : "every trial must connect through the relay";
      case LAN_DIRECT -> trials.stream().allMatch(t -> t.outcome() == Outcome.DIRECT && t.remote() != null
          && t.remote().startsWith("192.168.")) ? null : "every trial must connect directly over the LAN";
    };
  }
}
