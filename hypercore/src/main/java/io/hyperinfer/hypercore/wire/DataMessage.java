package io.hyperinfer.hypercore.wire;

import io.hyperinfer.encoding.Buf;
import io.hyperinfer.encoding.Codec;
import io.hyperinfer.encoding.Compact;
import io.hyperinfer.encoding.DecodeException;
import io.hyperinfer.hypercore.BlockProof;
import io.hyperinfer.hypercore.MerkleNode;
import io.hyperinfer.hypercore.Proof;
import io.hyperinfer.hypercore.UpgradeProof;
import java.util.List;

/**
 * Hypercore's replication {@code data} message (lib/messages.js {@code wire.data}) carrying a {@link Proof}, ready to
 * travel on a Protomux channel. Only the block and upgrade parts are supported; a message with hash, seek or manifest
 * parts, or additional upgrade nodes, is rejected with {@link DecodeException}. Immutable.
 *
 * <pre>
 * flags (uint: 1 block, 2 hash, 4 seek, 8 upgrade, 16 manifest) | request (uint) | fork (uint)
 * block:   index (uint) | value (buffer) | nodes (array of node)
 * upgrade: start (uint) | length (uint) | nodes (array) | additionalNodes (array) | signature (optional buffer)
 * node:    index (uint) | size (uint) | hash (32)
 * </pre>
 *
 * @param request the request id this answers
 * @param proof the proof
 */
public record DataMessage(long request, Proof proof) {
  private static final int BLOCK = 1;
  private static final int UNSUPPORTED = 2 | 4 | 16;
  private static final int UPGRADE = 8;

  static final Codec<MerkleNode> NODE = new Codec<>() {
    @Override
    public int encodedLength(MerkleNode n) {
      return Buf.uintLength(n.index()) + Buf.uintLength(n.size()) + 32;
    }

    @Override
    public void encode(MerkleNode n, Buf buf) {
      buf.writeUint(n.index());
      buf.writeUint(n.size());
      buf.writeBytes(n.hash());
    }

    @Override
    public MerkleNode decode(Buf buf) {
      long index = buf.readUint();
      long size = buf.readUint();
      return new MerkleNode(index, size, buf.readBytes(32));
    }
  };

  static final Codec<List<MerkleNode>> NODES = Compact.array(NODE);

  /** The message codec (compact-encoding, as JS). */
  public static final Codec<DataMessage> CODEC = new Codec<>() {
    @Override
    public int encodedLength(DataMessage m) {
      Proof p = m.proof();
      int n = Buf.uintLength(flags(p)) + Buf.uintLength(m.request()) + Buf.uintLength(p.fork());
      if (p.block() != null) {
        BlockProof b = p.block();
        n += Buf.uintLength(b.index()) + Compact.BUFFER.encodedLength(b.value()) + NODES.encodedLength(b.nodes());
      }
      if (p.upgrade() != null) {
        UpgradeProof u = p.upgrade();
        n += Buf.uintLength(u.start()) + Buf.uintLength(u.length()) + NODES.encodedLength(u.nodes())
            + NODES.encodedLength(List.of()) + Compact.OPTIONAL_BUFFER.encodedLength(u.signature());
      }
      return n;
    }

    @Override
    public void encode(DataMessage m, Buf buf) {
      Proof p = m.proof();
      buf.writeUint(flags(p));
      buf.writeUint(m.request());
      buf.writeUint(p.fork());
      if (p.block() != null) {
        BlockProof b = p.block();
        buf.writeUint(b.index());
        Compact.BUFFER.encode(b.value(), buf);
        NODES.encode(b.nodes(), buf);
      }
      if (p.upgrade() != null) {
        UpgradeProof u = p.upgrade();
        buf.writeUint(u.start());
        buf.writeUint(u.length());
        NODES.encode(u.nodes(), buf);
        NODES.encode(List.of(), buf);
        Compact.OPTIONAL_BUFFER.encode(u.signature(), buf);
      }
    }

    @Override
    public DataMessage decode(Buf buf) {
      long flags = buf.readUint();
      if ((flags & UNSUPPORTED) != 0 || (flags & (BLOCK | UPGRADE)) == 0) {
        throw DecodeException.outOfRange("data message parts " + flags + " (only block and upgrade are supported)");
      }
      long request = buf.readUint();
      long fork = buf.readUint();
      BlockProof block = null;
      if ((flags & BLOCK) != 0) {
        long index = buf.readUint();
        block = new BlockProof(index, Compact.BUFFER.decode(buf), NODES.decode(buf));
      }
      UpgradeProof upgrade = null;
      if ((flags & UPGRADE) != 0) {
        long start = buf.readUint();
        long length = buf.readUint();
        List<MerkleNode> nodes = NODES.decode(buf);
        if (!NODES.decode(buf).isEmpty()) {
          throw DecodeException.outOfRange("additional upgrade nodes are not supported");
        }
        byte[] signature = Compact.OPTIONAL_BUFFER.decode(buf);
        if (signature == null) {
          throw DecodeException.outOfRange("upgrade without a signature");
        }
        upgrade = new UpgradeProof(start, length, nodes, signature);
      }
      return new DataMessage(request, new Proof(fork, block, upgrade));
    }
  };

  private static int flags(Proof p) {
    return (p.block() != null ? BLOCK : 0) | (p.upgrade() != null ? UPGRADE : 0);
  }
}
