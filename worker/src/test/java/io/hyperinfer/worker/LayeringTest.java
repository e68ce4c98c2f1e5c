package io.hyperinfer.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The layering rule, checked on this module's classpath: workers know nothing of wire formats, so no class of the
 * protocol stack (UDX, dht-rpc, HyperDHT, Noise streams, Protomux, RPC, the swarm) can be loaded here. The test
 * classpath holds the compile classpath plus test libraries, so a stack module that crept in as a dependency of
 * {@code worker} (directly, or through {@code network} or {@code crypto}) fails this test.
 */
class LayeringTest {
  private static final List<String> STACK = List.of("io.hyperinfer.udx.UdxSocket", "io.hyperinfer.dht.DhtNode",
      "io.hyperinfer.hyperdht.HyperDht", "io.hyperinfer.secretstream.SecretStream", "io.hyperinfer.protomux.Protomux",
      "io.hyperinfer.rpc.HyperswarmRpc", "io.hyperinfer.swarm.Swarm", "io.hyperinfer.worker.net.swarm.SwarmNetFacility");

  @Test
  void shouldFindNoProtocolStackClassWhenLoadingFromTheWorkerClasspath() {
    ClassLoader loader = LayeringTest.class.getClassLoader();
    List<String> found = STACK.stream().filter(name -> loadable(name, loader)).toList();
    assertEquals(List.of(), found, "the worker module must not see the protocol stack");
  }

  @Test
  void shouldLoadTheLayersWorkersMayUseWhenTheyAreDependencies() {
    ClassLoader loader = LayeringTest.class.getClassLoader();
    List<String> needed = List.of("io.hyperinfer.network.RosterBook", "io.hyperinfer.crypto.Ed25519",
        "io.hyperinfer.worker.net.NetFacility");
    assertEquals(needed, needed.stream().filter(name -> loadable(name, loader)).toList(),
        "the probe itself works: classes that are on the classpath load");
  }

  private static boolean loadable(String name, ClassLoader loader) {
    try {
      Class.forName(name, false, loader);
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }
}
