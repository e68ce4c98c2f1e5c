package io.hyperinfer.hyperdht;

import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.hyperdht.wire.Handshake;
import io.hyperinfer.hyperdht.wire.Holepunch;
import io.hyperinfer.hyperdht.wire.RouteMode;

/**
 * The client's half of {@code lib/router.js} ({@code peerHandshake}, {@code peerHolepunch}) without the request
 * itself: the value to send, and the checks on the response. A response counts only if it is a REPLY and comes from
 * the exact address the request went to, so a relay must answer from the socket the client sent to. Thread-safe.
 */
public final class RouterClient {
  private RouterClient() {}

  /** The PEER_HANDSHAKE request value carrying Noise message 1, optionally naming a relay for the node to use. */
  public static byte[] handshakeRequest(byte[] noise, HostPort peerAddress, HostPort relayAddress) {
    return Router.encode(new Handshake(RouteMode.FROM_CLIENT, noise, peerAddress, relayAddress));
  }

  /**
   * The server's answer inside a PEER_HANDSHAKE response.
   *
   * @param to where the request was sent
   * @param responseFrom where the response came from
   * @param responseTo the client's address as the responder saw it ({@code res.to})
   * @param value the response value, or null
   * @throws HyperDhtException {@code BAD_HANDSHAKE_REPLY} unless it is a REPLY from {@code to}
   */
  public static HandshakeReply handshakeReply(HostPort to, HostPort responseFrom, HostPort responseTo, byte[] value) {
    Handshake hs = value == null ? null : Router.decodeOrNull(Handshake.CODEC, value);
    if (hs == null || hs.mode() != RouteMode.REPLY || !to.equals(responseFrom)) {
      throw HyperDhtException.badHandshakeReply();
    }
    return new HandshakeReply(hs.noise(), hs.peerAddress() != null,
        hs.peerAddress() != null ? hs.peerAddress() : to, responseTo);
  }

  /** The PEER_HOLEPUNCH request value for slot {@code id}, naming the server's address as its relay knows it. */
  public static byte[] holepunchRequest(long id, byte[] payload, HostPort peerAddress) {
    return Router.encode(new Holepunch(RouteMode.FROM_CLIENT, id, payload, peerAddress));
  }

  /**
   * The server's round inside a PEER_HOLEPUNCH response.
   *
   * @throws HyperDhtException {@code BAD_HOLEPUNCH_REPLY} unless it is a REPLY from {@code to}
   */
  public static HolepunchReply holepunchReply(HostPort to, HostPort responseFrom, HostPort responseTo,
      byte[] value) {
    Holepunch hp = value == null ? null : Router.decodeOrNull(Holepunch.CODEC, value);
    if (hp == null || hp.mode() != RouteMode.REPLY || !to.equals(responseFrom)) {
      throw HyperDhtException.badHolepunchReply();
    }
    return new HolepunchReply(responseFrom, responseTo, hp.payload(),
        hp.peerAddress() != null ? hp.peerAddress() : to);
  }

  /**
   * A handshake answer.
   *
   * @param noise Noise message 2
   * @param relayed whether it came through a relay (the server did not answer directly)
   * @param serverAddress the server as the relay saw it, or the node itself when not relayed
   * @param clientAddress the client as the responder saw it
   */
  public record HandshakeReply(byte[] noise, boolean relayed, HostPort serverAddress, HostPort clientAddress) {}

  /**
   * A holepunch answer.
   *
   * @param from the relay that answered
   * @param to the client as the relay saw it
   * @param payload the server's sealed payload
   * @param peerAddress the server's address as the relay saw it (its puncher socket), or the relay when absent
   */
  public record HolepunchReply(HostPort from, HostPort to, byte[] payload, HostPort peerAddress) {}
}
