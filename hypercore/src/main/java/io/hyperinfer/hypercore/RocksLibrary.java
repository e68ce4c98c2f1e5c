package io.hyperinfer.hypercore;

import io.hyperinfer.crypto.internal.NativeLibraries;
import java.util.List;
import org.rocksdb.RocksDB;
import org.rocksdb.util.Environment;

/**
 * Loads RocksDB's JNI library from the rocksdbjni jar through {@link NativeLibraries}, so its extracted copy is
 * deleted once loaded: RocksDB's own loader leaves a 15 MB {@code librocksdbjni*.so} in /tmp whenever the process does
 * not exit normally. A platform the jar has no library for falls back to RocksDB's loader. Thread-safe.
 */
final class RocksLibrary {
  private RocksLibrary() {}

  static synchronized void load() {
    String resource = Environment.getJniLibraryFileName("rocksdb");
    ClassLoader loader = RocksDB.class.getClassLoader();
    if (loader == null || loader.getResource(resource) == null) {
      RocksDB.loadLibrary();
      return;
    }
    // RocksDB.loadLibrary(paths) looks in each folder for the file named after "rocksdbjni".
    NativeLibraries.loadFromJar(loader, resource, Environment.getJniLibraryFileName("rocksdbjni"),
        file -> RocksDB.loadLibrary(List.of(file.getParent().toString())));
  }
}
