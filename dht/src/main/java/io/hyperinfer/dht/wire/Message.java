package io.hyperinfer.dht.wire;

import io.hyperinfer.encoding.Buf;
import io.hyperinfer.encoding.DecodeException;
import io.hyperinfer.encoding.HostPort;

/**
 * A dht-rpc datagram (dht-rpc {@code lib/io.js}): a request ({@code 0x03}) or a response ({@code 0x13}). The first
 * byte carries the version (low nibble, 3) and the type (high nibble); everything after it is one compact-encoding
 * struct whose optional fields are announced by a flags uint. Immutable, thread-safe.
 */
public sealed interface Message permits RequestMessage, ResponseMessage {
  /** Version 3, type 0. */
  int REQUEST_TYPE = 0x03;
  /** Version 3, type 1. */
  int RESPONSE_TYPE = 0x13;
  /** A node id, a token and a target are 32 bytes. */
  int KEY_BYTES = 32;

  /** The transaction id, 0 .. 65535, echoed by the response. */
  int tid();

  /** In a request the destination as the sender addressed it; in a response the requester as the responder saw it. */
  HostPort to();

  /** The sender's node id as it claims it (check it with {@link NodeId#matches}), or null. */
  byte[] id();

  /** This message as one exact-size datagram. */
  byte[] encode();

  /**
   * The message in {@code datagram}. Bytes after the message are ignored, as JS ignores them.
   *
   * @throws DecodeException when the datagram is short, of an unknown type or malformed
   */
  static Message decode(byte[] datagram) {
    Buf buf = Buf.wrap(datagram);
    return switch (buf.readUint8()) {
      case REQUEST_TYPE -> MessageCodecs.REQUEST.decode(buf);
      case RESPONSE_TYPE -> MessageCodecs.RESPONSE.decode(buf);
      default -> throw DecodeException.outOfRange("message type");
    };
  }

  /** Checks a 32-byte field: null or exactly 32 bytes. */
  static byte[] checkKey(byte[] key, String name) {
    if (key != null && key.length != KEY_BYTES) {
      throw new IllegalArgumentException(name + " must be " + KEY_BYTES + " bytes, got " + key.length);
    }
    return key;
  }

  /** Checks a tid. */
  static void checkTid(int tid) {
    if (tid < 0 || tid > 0xffff) {
      throw new IllegalArgumentException("tid out of range: " + tid);
    }
  }

  /** Checks a uint field (command, error code). */
  static void checkUint(long value, String name) {
    if (value < 0 || value > Buf.MAX_SAFE_UINT) {
      throw new IllegalArgumentException(name + " out of range: " + value);
    }
  }
}
