package io.hyperinfer.gateway.routing;

import java.util.HexFormat;

/** A processor as the gateway addresses it: its public key (hex). Immutable. */
public record ProcessorRef(String publicKeyHex) {
  public ProcessorRef {
    if (publicKeyHex == null || publicKeyHex.isEmpty()) {
      throw new IllegalArgumentException("processor key is missing");
    }
  }

  public static ProcessorRef of(byte[] publicKey) {
    return new ProcessorRef(HexFormat.of().formatHex(publicKey));
  }

  public byte[] publicKey() {
    return HexFormat.of().parseHex(publicKeyHex);
  }

  public String shortId() {
    return publicKeyHex.substring(0, Math.min(8, publicKeyHex.length()));
  }
}
