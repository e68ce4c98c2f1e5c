package io.hyperinfer.hyperdht;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class HyperDhtExceptionTest {
  @Test
  void shouldCarryTheJsCodeAndMessageWhenMadeByEachFactory() {
    List<Supplier<HyperDhtException>> factories = List.of(HyperDhtException::badHandshakeReply,
        HyperDhtException::badHolepunchReply, HyperDhtException::holepunchAborted, HyperDhtException::holepunchInvalid,
        HyperDhtException::holepunchProbeTimeout, HyperDhtException::holepunchDoubleRandomizedNats,
        HyperDhtException::cannotHolepunch, HyperDhtException::remoteNotHolepunching,
        HyperDhtException::remoteNotHolepunchable, HyperDhtException::remoteAborted,
        HyperDhtException::handshakeUnfinished, HyperDhtException::handshakeInvalid,
        HyperDhtException::alreadyListening, HyperDhtException::keypairAlreadyUsed, HyperDhtException::nodeDestroyed,
        HyperDhtException::peerConnectionFailed, HyperDhtException::peerNotFound,
        HyperDhtException::streamNotConnected, HyperDhtException::serverIncompatible, HyperDhtException::serverError,
        HyperDhtException::duplicateConnection, HyperDhtException::relayAborted, HyperDhtException::connectAborted,
        HyperDhtException::suspended,
        HyperDhtException::seqReused, HyperDhtException::seqTooLow);
    assertEquals(HyperDhtException.Code.values().length, factories.size(), "one factory per code");
    for (int i = 0; i < factories.size(); i++) {
      HyperDhtException e = factories.get(i).get();
      HyperDhtException.Code code = HyperDhtException.Code.values()[i];
      assertEquals(code, e.code());
      assertEquals(code.name() + ": " + code.defaultMessage(), e.getMessage());
    }
    assertEquals("PEER_NOT_FOUND: Peer not found", HyperDhtException.peerNotFound().getMessage());
    assertEquals("SERVER_ERROR: Server did not send UDX data",
        HyperDhtException.of(HyperDhtException.Code.SERVER_ERROR, "Server did not send UDX data").getMessage());
    assertEquals(0, HyperDhtException.suspended().getStackTrace().length);
  }
}
