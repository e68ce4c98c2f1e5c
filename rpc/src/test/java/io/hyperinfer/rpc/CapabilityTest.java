package io.hyperinfer.rpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.testkit.Vectors;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class CapabilityTest {
  private static final byte[] KEY = Vectors.hex("/keys/seed 01*32 publicKey");
  private static final byte[] HASH = Vectors.hex("/noiseIK/handshakeHash64");

  @Test
  void shouldMatchJsNamespaceAndCapabilityWhenComputed() {
    assertArrayEquals(Vectors.hex("/ns/hyperswarm-capability (0)"), Capability.DEFAULT_NAMESPACE);
    assertArrayEquals(Vectors.hex("/capability/capability(isInitiator=true, key=seed01 pk, hash)"),
        new Capability().capability(true, KEY, HASH));
    assertThrows(IllegalArgumentException.class, () -> new Capability(new byte[31]));
  }

  @Test
  void shouldVerifyPeerRoleWhenCheckingHandshake() {
    CapabilityCheck initiator = new CapabilityCheck(new Capability(), KEY, true, HASH);
    CapabilityCheck responder = new CapabilityCheck(new Capability(), KEY, false, HASH);
    assertEquals(33, initiator.localHandshake().length);
    assertTrue(responder.verify(initiator.localHandshake()));
    assertTrue(initiator.verify(responder.localHandshake()));
    assertFalse(initiator.verify(initiator.localHandshake()));
    assertFalse(initiator.verify(null), "an open without a handshake proves nothing");
    assertFalse(initiator.verify(new byte[0]));
    assertFalse(initiator.verify(new byte[] {0}));
    assertFalse(initiator.verify(new byte[] {1, 2, 3}));
  }

  @Test
  void shouldOpenWhenCapabilitiesMatchAndDestroyWhenNot() throws Exception {
    byte[] serverKey = new byte[32];
    try (MuxPair pair = new MuxPair()) {
      new RpcSession(pair.b.mux, serverKey, null, new Responders(),
          new CapabilityCheck(new Capability(), KEY, false, HASH), s -> { });
      RpcSession client = new RpcSession(pair.a.mux, serverKey, null, new Responders(),
          new CapabilityCheck(new Capability(), KEY, true, HASH), s -> { });
      pair.start();
      client.opened().get(5, TimeUnit.SECONDS);
    }
    try (MuxPair pair = new MuxPair()) {
      new RpcSession(pair.b.mux, serverKey, null, new Responders(),
          new CapabilityCheck(new Capability(), new byte[32], false, HASH), s -> { });
      RpcSession client = new RpcSession(pair.a.mux, serverKey, null, new Responders(),
          new CapabilityCheck(new Capability(), KEY, true, HASH), s -> { });
      pair.start();
      CompletableFuture<Void> opened = client.opened();
      ExecutionException e = assertThrows(ExecutionException.class, () -> opened.get(5, TimeUnit.SECONDS));
      assertEquals(RpcException.Code.INVALID_CAPABILITY, ((RpcException) e.getCause()).code());
    }
  }
}
