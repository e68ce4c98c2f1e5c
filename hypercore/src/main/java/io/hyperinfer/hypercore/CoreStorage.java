package io.hyperinfer.hypercore;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * One core's rows in the store's shared RocksDB: head, meta, one row per block and one per tree node, keyed
 * {@code type | core id (4, big-endian) | index (8, big-endian)} so each kind sorts by index. The store maps each
 * 32-byte core key to a small id once ({@code 0x00 | core key -> id}), keeping per-append rows short. Every mutation
 * is one atomic write batch, so a crash leaves either the old or the new head with all its rows. Thread-safe.
 */
final class CoreStorage {
  private static final byte HEADER = 1;
  private static final byte BLOCK = 2;
  private static final byte NODE = 3;
  private static final byte META = 4;
  private static final byte ID = 0;
  private static final byte[] LAST_ID = {5};
  private static final int NODE_VALUE_BYTES = 40;

  private final StoreGate db;
  private final WriteOptions writeOptions;
  private final int id;

  private CoreStorage(StoreGate db, WriteOptions writeOptions, int id) {
    this.db = db;
    this.writeOptions = writeOptions;
    this.id = id;
  }

  /** The stored core with this key, or null. */
  static CoreStorage find(StoreGate db, WriteOptions writeOptions, byte[] coreKey) {
    try {
      byte[] id = db.call(d -> d.get(idKey(coreKey)));
      if (id == null) {
        return null;
      }
      if (id.length != 4) {
        throw HypercoreException.corrupt("core id row is unreadable", 0);
      }
      return new CoreStorage(db, writeOptions, ByteBuffer.wrap(id).getInt());
    } catch (RocksDBException e) {
      throw HypercoreException.corrupt("storage read failed: " + e.getMessage(), 0);
    }
  }

  /** Creates a core: allocates its id and writes its meta and empty head, atomically. Callers serialise creation. */
  static CoreStorage create(StoreGate db, WriteOptions writeOptions, byte[] coreKey, CoreHeader header) {
    try (WriteBatch batch = new WriteBatch()) {
      byte[] last = db.call(d -> d.get(LAST_ID));
      int id = last == null ? 1 : ByteBuffer.wrap(last).getInt() + 1;
      byte[] idBytes = ByteBuffer.allocate(4).putInt(id).array();
      CoreStorage storage = new CoreStorage(db, writeOptions, id);
      batch.put(LAST_ID, idBytes);
      batch.put(idKey(coreKey), idBytes);
      batch.put(storage.key(META, -1), header.encodeMeta());
      batch.put(storage.key(HEADER, -1), header.encodeHead());
      db.call(d -> {
        d.write(writeOptions, batch);
        return null;
      });
      return storage;
    } catch (RocksDBException e) {
      throw HypercoreException.storage("write failed: " + e.getMessage(), e);
    }
  }

  private static byte[] idKey(byte[] coreKey) {
    return ByteBuffer.allocate(33).put(ID).put(coreKey).array();
  }

  CoreHeader header() {
    byte[] head = get(null, key(HEADER, -1));
    return head == null ? null : CoreHeader.decode(head, get(null, key(META, -1)));
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
      db.call(d -> {
        d.write(writeOptions, batch);
        return null;
      });
    } catch (RocksDBException e) {
      throw HypercoreException.storage("write failed: " + e.getMessage(), e);
    }
  }

  org.rocksdb.Snapshot snapshot() {
    try {
      return db.call(d -> d.getSnapshot());
    } catch (RocksDBException e) {
      throw HypercoreException.storage("snapshot failed: " + e.getMessage(), e);
    }
  }

  StoreGate gate() {
    return db;
  }

  private byte[] get(ReadOptions read, byte[] key) {
    try {
      return db.call(d -> read == null ? d.get(key) : d.get(read, key));
    } catch (RocksDBException e) {
      throw HypercoreException.corrupt("storage read failed: " + e.getMessage(), 0);
    }
  }

  private byte[] key(byte type, long index) {
    ByteBuffer buf = ByteBuffer.allocate(index < 0 ? 5 : 13);
    buf.put(type).putInt(id);
    if (index >= 0) {
      buf.putLong(index);
    }
    return buf.array();
  }
}
