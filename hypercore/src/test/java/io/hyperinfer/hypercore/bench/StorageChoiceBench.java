package io.hyperinfer.hypercore.bench;

import io.hyperinfer.crypto.Ed25519;
import io.hyperinfer.crypto.KeyPair;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * Load generator behind the storage choice: the cost per single append of (a) a RocksDB atomic write batch with the
 * rows one append writes, (b) the same bytes appended to a plain operation-log file (no fsync, like the WAL), and
 * (c) the Ed25519 signature every append needs anyway. Usage: StorageChoiceBench [appends=100000]
 */
public final class StorageChoiceBench {
  private StorageChoiceBench() {}

  public static void main(String[] args) throws IOException, RocksDBException {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    byte[] block = new byte[64];
    byte[] node = new byte[40];
    byte[] head = new byte[94];
    for (int round = 0; round < 2; round++) {
      Path dir = Files.createTempDirectory("choice-");
      RocksDB.loadLibrary();
      long t = System.nanoTime();
      try (Options o = new Options().setCreateIfMissing(true); WriteOptions w = new WriteOptions();
          RocksDB db = RocksDB.open(o, dir.resolve("rocks").toString())) {
        for (int i = 0; i < n; i++) {
          try (WriteBatch batch = new WriteBatch()) {
            batch.put(key(2, i), block);
            batch.put(key(3, 2L * i), node);
            batch.put(key(3, 2L * i + 1), node);
            batch.put(key(1, -1), head);
            db.write(w, batch);
          }
        }
      }
      print("rocksdb write batch", n, System.nanoTime() - t);
      t = System.nanoTime();
      try (FileChannel log = FileChannel.open(dir.resolve("oplog"), StandardOpenOption.CREATE,
          StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
        ByteBuffer entry = ByteBuffer.allocate(4 + 3 * 13 + 5 + block.length + 2 * node.length + head.length + 4);
        for (int i = 0; i < n; i++) {
          entry.clear();
          entry.putInt(entry.capacity()).put(key(2, i)).put(block).put(key(3, 2L * i)).put(node)
              .put(key(3, 2L * i + 1)).put(node).put(key(1, -1)).put(head).putInt(i).flip();
          log.write(entry);
        }
      }
      print("op-log file append", n, System.nanoTime() - t);
      KeyPair keys = Ed25519.generate();
      byte[] signable = new byte[112];
      t = System.nanoTime();
      for (int i = 0; i < n; i++) {
        signable[0] = (byte) i;
        Ed25519.sign(signable, keys.secretKey());
      }
      print("ed25519 sign", n, System.nanoTime() - t);
      HypercoreAppendBench.delete(dir);
    }
  }

  private static byte[] key(int type, long index) {
    ByteBuffer key = ByteBuffer.allocate(index < 0 ? 5 : 13).put((byte) type).putInt(1);
    return index < 0 ? key.array() : key.putLong(index).array();
  }

  private static void print(String name, int n, long nanos) {
    System.out.printf("%-22s %,10d ops  %,12.0f ops/s  %6.2f us/op%n", name, n, n / (nanos / 1e9), nanos / 1e3 / n);
  }
}
