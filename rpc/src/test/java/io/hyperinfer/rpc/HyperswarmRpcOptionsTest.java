package io.hyperinfer.rpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hyperinfer.crypto.Ed25519;
import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.hyperdht.ConnectOptions;
import io.hyperinfer.hyperdht.ConnectionFirewall;
import io.hyperinfer.hyperdht.ServerOptions;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** @hyperswarm/rpc's options over HyperDHT: defaults, copies, refusals. */
class HyperswarmRpcOptionsTest {
  @Test
  void shouldDefaultAsHyperswarmRpcAndCopyOneFieldAtATime() {
    HyperswarmRpcOptions d = HyperswarmRpcOptions.DEFAULT;
    assertNull(d.keyPair());
    assertNull(d.capability());
    assertEquals(Duration.ofSeconds(10), d.poolLinger());
    assertSame(ConnectOptions.DEFAULT, d.connect());

    KeyPair keys = Ed25519.generate();
    byte[] cap = new byte[32];
    Capability ns = new Capability(new byte[32]);
    ConnectOptions quick = ConnectOptions.DEFAULT.withTimeout(Duration.ofSeconds(1));
    HyperswarmRpcOptions o = d.withKeyPair(keys).withCapability(cap).withNamespace(ns)
        .withPoolLinger(Duration.ZERO).withConnect(quick);
    cap[0] = 9;
    assertSame(keys, o.keyPair());
    assertArrayEquals(new byte[32], o.capability(), "the key was copied");
    assertSame(ns, o.namespace());
    assertEquals(Duration.ZERO, o.poolLinger());
    assertSame(quick, o.connect());
    assertThrows(IllegalArgumentException.class, () -> d.withPoolLinger(Duration.ofSeconds(-1)));
    assertThrows(IllegalArgumentException.class, () -> d.withConnect(null));
  }

  @Test
  void shouldCopyServerOptions() {
    HyperswarmRpcServer.Options d = HyperswarmRpcServer.Options.DEFAULT;
    assertNull(d.capability());
    assertSame(ServerOptions.DEFAULT, d.dht());
    ConnectionFirewall none = (k, p, a) -> false;
    byte[] cap = new byte[32];
    HyperswarmRpcServer.Options o = d.withCapability(cap).withFirewall(none);
    cap[0] = 1;
    assertArrayEquals(new byte[32], o.capability());
    assertSame(none, o.dht().firewall());
    ServerOptions open = ServerOptions.DEFAULT.withShareLocalAddress(false);
    assertSame(open, o.withDht(open).dht());
    assertThrows(IllegalArgumentException.class, () -> d.withDht(null));
  }

  @Test
  void shouldDoNothingByDefaultWhenAConnectionOpensOrCloses() {
    RpcConnectionListener quiet = new RpcConnectionListener() {};
    quiet.onOpen(new byte[32], null, true);
    quiet.onClose(new byte[32], null, false);
  }
}
