package io.hyperinfer.crypto.noise;

import java.util.List;

/** The Noise patterns the Hyperswarm stack uses, as token lists per message (noise-handshake 4.2.0). */
public enum NoisePattern {
  /** hyperdht's connect handshake: the initiator knows the responder's static key in advance. */
  IK(true, List.of(
      List.of(Token.E, Token.ES, Token.S, Token.SS),
      List.of(Token.E, Token.EE, Token.SE))),
  /** secret-stream's own handshake over a raw stream, when no hyperdht handshake preceded it. */
  XX(false, List.of(
      List.of(Token.E),
      List.of(Token.E, Token.EE, Token.S, Token.ES),
      List.of(Token.S, Token.SE)));

  /** A step inside a handshake message. */
  enum Token { E, S, EE, ES, SE, SS }

  private final boolean responderStaticPreshared;
  private final List<List<Token>> messages;

  NoisePattern(boolean responderStaticPreshared, List<List<Token>> messages) {
    this.responderStaticPreshared = responderStaticPreshared;
    this.messages = messages;
  }

  boolean responderStaticPreshared() {
    return responderStaticPreshared;
  }

  List<List<Token>> messages() {
    return messages;
  }

  /** The protocol name mixed into the handshake hash first. */
  String protocolName() {
    return "Noise_" + name() + "_Ed25519_ChaChaPoly_BLAKE2b";
  }
}
