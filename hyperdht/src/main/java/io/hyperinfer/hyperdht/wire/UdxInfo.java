package io.hyperinfer.hyperdht.wire;

import io.hyperinfer.encoding.Buf;
import io.hyperinfer.encoding.Codec;

/**
 * The raw UDX stream a peer opened for the connection ({@code lib/messages.js udxInfo}).
 *
 * <pre>
 * version (uint, 1) | features (uint: 1 reusableSocket) | id (uint) | seq (uint)
 * </pre>
 *
 * <p>Feature bits other than {@code reusableSocket} are dropped on decode, as in JS.
 *
 * @param version the layout version; JS always writes 1
 * @param reusableSocket whether the peer may reuse the socket for later connections to the same key
 * @param id the sender's UDX stream id, the remote id for the receiver's stream
 * @param seq the first sequence number (0)
 */
public record UdxInfo(long version, boolean reusableSocket, long id, long seq) {
  /** Version 1, as every JS peer sends. */
  public static final long VERSION = 1;
  private static final int REUSABLE_SOCKET = 1;

  /** All numbers are uints. */
  public UdxInfo {
    if (!Uints.valid(version) || !Uints.valid(id) || !Uints.valid(seq)) {
      throw new IllegalArgumentException("udx info fields must be uints");
    }
  }

  /** Version 1 info for stream {@code id} starting at sequence 0. */
  public static UdxInfo of(boolean reusableSocket, long id) {
    return new UdxInfo(VERSION, reusableSocket, id, 0);
  }

  /** The message codec. */
  public static final Codec<UdxInfo> CODEC = new Codec<>() {
    @Override
    public int encodedLength(UdxInfo m) {
      return Buf.uintLength(m.version) + 1 + Buf.uintLength(m.id) + Buf.uintLength(m.seq);
    }

    @Override
    public void encode(UdxInfo m, Buf buf) {
      buf.writeUint(m.version);
      buf.writeUint(m.reusableSocket ? REUSABLE_SOCKET : 0);
      buf.writeUint(m.id);
      buf.writeUint(m.seq);
    }

    @Override
    public UdxInfo decode(Buf buf) {
      long version = buf.readUint();
      long features = buf.readUint();
      long id = buf.readUint();
      return new UdxInfo(version, (features & REUSABLE_SOCKET) != 0, id, buf.readUint());
    }
  };
}
