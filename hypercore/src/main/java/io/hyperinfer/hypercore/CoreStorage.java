package io.hyperinfer.hypercore;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * One core's rows in the store's shared RocksDB: a header row, one row per block and one per tree node, keyed
 * {@code type | core key | index (big-endian)} so each kind sorts by index. Every mutation is one atomic write batch,
 * so a crash leaves either the old or the new head with all its rows. Thread-safe (RocksDB is).
 */
final class CoreStorage {
  private static final byte HEADER = 1;
  private static final byte BLOCK = 2;
  private static final byte NODE = 3;
  private static final byte META = 4;
  private static final int NODE_VALUE_BYTES = 40;

  private final RocksDB db;
  private final WriteOptions writeOptions;
  private final byte[] coreKey;

  CoreStorage(RocksDB db, WriteOptions writeOptions, byte[] coreKey) {
    this.db = db;
    this.writeOptions = writeOptions;
    this.coreKey = coreKey.clone();
  }

  CoreHeader header() {
    byte[] head = get(null, key(HEADER, -1));
    return head == null ? null : CoreHeader.decode(head, get(null, key(META, -1)));
  }

  /** Creates the core's rows: its meta (manifest, secret key) and an empty head. */
  void create(CoreHeader header) {
    try (WriteBatch batch = new WriteBatch()) {
      batch.put(key(META, -1), header.encodeMeta());
      batch.put(key(HEADER, -1), header.encodeHead());
      db.write(writeOptions, batch);
    } catch (RocksDBException e) {
      throw HypercoreException.storage("write failed: " + e.getMessage(), e);
    }
  }

  byte[] block(long index, ReadOptions read) {
    return get(read, key(BLOCK, index));
  }

  MerkleNode node(long index, ReadOptions read) {
    byte[] raw = get(read, key(NODE, index));
    if (raw == null) {
      return null;
    }
    if (raw.length != NODE_VALUE_BYTES) {
      throw HypercoreException.corrupt("tree node " + index + " has " + raw.length + " bytes", 0);
    }
    return new MerkleNode(index, Bytes.getUint64(raw, 0), Arrays.copyOfRange(raw, 8, 40));
  }

  /** One atomic change: new blocks from {@code firstBlock}, new nodes, removed rows, and the new head. */
  void write(CoreHeader header, long firstBlock, List<byte[]> blocks, Collection<MerkleNode> nodes,
      long deleteBlocksFrom, long deleteBlocksTo, Collection<Long> deleteNodes) {
    try (WriteBatch batch = new WriteBatch()) {
      for (int i = 0; i < blocks.size(); i++) {
        batch.put(key(BLOCK, firstBlock + i), blocks.get(i));
      }
      for (MerkleNode node : nodes) {
        byte[] value = new byte[NODE_VALUE_BYTES];
        Bytes.putUint64(value, 0, node.size());
        System.arraycopy(node.hashUnsafe(), 0, value, 8, 32);
        batch.put(key(NODE, node.index()), value);
      }
      if (deleteBlocksTo > deleteBlocksFrom) {
        batch.deleteRange(key(BLOCK, deleteBlocksFrom), key(BLOCK, deleteBlocksTo));
      }
      for (long index : deleteNodes) {
        batch.delete(key(NODE, index));
      }
      batch.put(key(HEADER, -1), header.encodeHead());
      db.write(writeOptions, batch);
    } catch (RocksDBException e) {
      throw HypercoreException.storage("write failed: " + e.getMessage(), e);
    }
  }

  RocksDB db() {
    return db;
  }

  private byte[] get(ReadOptions read, byte[] key) {
    try {
      return read == null ? db.get(key) : db.get(read, key);
    } catch (RocksDBException e) {
      throw HypercoreException.corrupt("storage read failed: " + e.getMessage(), 0);
    }
  }

  private byte[] key(byte type, long index) {
    ByteBuffer buf = ByteBuffer.allocate(index < 0 ? 33 : 41);
    buf.put(type).put(coreKey);
    if (index >= 0) {
      buf.putLong(index);
    }
    return buf.array();
  }
}
