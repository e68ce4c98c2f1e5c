package io.hyperinfer.hyperdht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.hyperdht.ConnectTrace.Phase;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A connect's trace, and the error that carries it. */
class ConnectTraceTest {
  @Test
  void shouldRecordStepsWithTheirTimeAndTheFurthestPhase() {
    AtomicLong now = new AtomicLong(100);
    ConnectTrace trace = new ConnectTrace(now::get);
    assertEquals(Phase.LOOKUP, trace.reached());
    trace.add(Phase.LOOKUP, "FIND_PEER");
    now.set(130);
    trace.add(Phase.RELAY, "via a");
    now.set(150);
    trace.path(ConnectTrace.Path.OPEN, new io.hyperinfer.encoding.HostPort("10.0.0.2", 7), "to b");
    trace.add(Phase.FAILED, "PEER_CONNECTION_FAILED");

    assertEquals(4, trace.steps().size());
    assertEquals(30, trace.steps().get(1).atMs());
    assertEquals(Phase.PATH, trace.reached(), "FAILED is not a phase reached");
    assertEquals(ConnectTrace.Path.OPEN, trace.path());
    assertEquals(new io.hyperinfer.encoding.HostPort("10.0.0.2", 7), trace.remote());
    assertTrue(trace.has(Phase.RELAY));
    assertFalse(trace.has(Phase.FIRST_BYTE));
    assertEquals("+0ms LOOKUP FIND_PEER; +30ms RELAY via a; +50ms PATH OPEN path: to b; +50ms FAILED "
        + "PEER_CONNECTION_FAILED", trace.toString());
  }

  @Test
  void shouldKeepABoundedNumberOfSteps() {
    ConnectTrace trace = new ConnectTrace(() -> 0);
    for (int i = 0; i < ConnectTrace.MAX_STEPS + 5; i++) {
      trace.add(Phase.RELAY, "via " + i);
    }
    assertEquals(ConnectTrace.MAX_STEPS, trace.steps().size());
    assertTrue(trace.toString().endsWith("; 5 more steps"));
    assertNull(trace.path());
  }

  @Test
  void shouldCarryTheTraceInTheErrorWithItsCodeAndMessage() {
    ConnectTrace trace = new ConnectTrace(() -> 0);
    trace.add(Phase.LOOKUP, "FIND_PEER");
    HyperDhtException plain = HyperDhtException.peerNotFound();
    HyperDhtException traced = plain.withTrace(trace);
    assertNull(plain.trace());
    assertSame(trace, traced.trace());
    assertEquals(HyperDhtException.Code.PEER_NOT_FOUND, traced.code());
    assertEquals("PEER_NOT_FOUND: Peer not found [+0ms LOOKUP FIND_PEER]", traced.getMessage());
    assertEquals(traced.getMessage(), traced.withTrace(trace).getMessage(), "tracing twice does not nest");
  }
}
