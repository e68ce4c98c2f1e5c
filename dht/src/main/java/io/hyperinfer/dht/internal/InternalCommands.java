package io.hyperinfer.dht.internal;

import io.hyperinfer.crypto.Blake2b;
import io.hyperinfer.dht.Commands;
import io.hyperinfer.dht.Response;
import io.hyperinfer.encoding.HostPort;
import java.util.Arrays;

/**
 * Answers dht-rpc's own commands exactly as JS does (dht-rpc {@code index.js _onrequest, _ondelayedping}): which
 * get an empty reply, which carry closer nodes, which get UNKNOWN_COMMAND, and which get no answer at all. None of
 * these replies carries a token. Confined to the loop thread.
 */
final class InternalCommands {
  /** DELAYED_PINGs waiting at once; more are left unanswered (JS keeps every timer). */
  static final int MAX_DELAYED_PINGS = 1024;
  /** Concurrent DOWN_HINT checks (JS {@code _checks < 10}). */
  static final int MAX_CHECKS = 10;

  private final NodeCore node;
  private int delayedPings;
  long droppedDelayedPings;

  InternalCommands(NodeCore node) {
    this.node = node;
  }

  void onInternal(InboundRequest req) {
    switch ((int) Math.min(req.command(), Integer.MAX_VALUE)) {
      case Commands.PING -> req.sendInternalReply(false, req.from().address());
      case Commands.DELAYED_PING -> onDelayedPing(req);
      case Commands.PING_NAT -> onPingNat(req);
      case Commands.FIND_NODE -> {
        if (req.target() != null) {
          req.sendInternalReply(true, req.from().address());
        }
      }
      case Commands.DOWN_HINT -> onDownHint(req);
      default -> req.sendError(Response.UNKNOWN_COMMAND, req.target() != null);
    }
  }

  /** Pong to the requested port of the sender's host, from the receiving socket; silent without a port. */
  private void onPingNat(InboundRequest req) {
    byte[] v = req.value();
    if (v == null || v.length < 2) {
      return;
    }
    int port = (v[0] & 0xff) | (v[1] & 0xff) << 8;
    if (port == 0) {
      return;
    }
    req.sendInternalReply(false, new HostPort(req.from().host(), port));
  }

  private void onDownHint(InboundRequest req) {
    byte[] v = req.value();
    if (v == null || v.length < 6) {
      return;
    }
    if (node.upkeep.checks < MAX_CHECKS) {
      TableNode suspect = node.table.get(Blake2b.hash(Arrays.copyOf(v, 6)));
      if (suspect != null && (suspect.pinged < node.upkeep.tick || suspect.downHints == 0)) {
        suspect.downHints++;
        node.upkeep.check(suspect);
      }
    }
    req.sendInternalReply(false, req.from().address());
  }

  private void onDelayedPing(InboundRequest req) {
    byte[] v = req.value();
    if (v == null || v.length < 4) {
      return;
    }
    long delay = (v[0] & 0xffL) | (v[1] & 0xffL) << 8 | (v[2] & 0xffL) << 16 | (v[3] & 0xffL) << 24;
    if (delay > node.options.maxPingDelayMs()) {
      return;
    }
    if (delayedPings >= MAX_DELAYED_PINGS) {
      droppedDelayedPings++;
      return;
    }
    delayedPings++;
    node.schedule(delay, () -> {
      delayedPings--;
      req.sendInternalReply(false, req.from().address());
    });
  }
}
