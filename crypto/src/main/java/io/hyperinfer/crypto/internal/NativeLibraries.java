package io.hyperinfer.crypto.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Loads a native library that ships inside a jar (libsodium in lazysodium's, RocksDB's JNI library in rocksdbjni's)
 * without leaving files behind: the library is copied to a fresh owner-only temporary folder, loaded from there, and
 * the file and folder are deleted as soon as it is loaded (a loaded library stays mapped after its file is gone, on
 * Linux and macOS). Nothing is left even when the process is killed afterwards; where deleting a loaded library fails
 * (Windows) both are deleted at exit instead. Shared by the modules that bundle native code. Thread-safe.
 */
public final class NativeLibraries {
  private NativeLibraries() {}

  /**
   * Copies {@code resource} from {@code loader} to a new temporary folder, calls {@code load} with the copy's path (the
   * file keeps the resource's own name), then deletes the copy and the folder, whatever {@code load} did.
   *
   * @throws UnsatisfiedLinkError when the resource is missing or cannot be copied
   */
  public static void loadFromJar(ClassLoader loader, String resource, Consumer<Path> load) {
    loadFromJar(loader, resource, resource.substring(resource.lastIndexOf('/') + 1), load);
  }

  /** As {@link #loadFromJar(ClassLoader, String, Consumer)}, with the copy named {@code fileName}. */
  public static void loadFromJar(ClassLoader loader, String resource, String fileName, Consumer<Path> load) {
    if (fileName.isEmpty() || fileName.contains("/") || fileName.contains("\\") || fileName.startsWith(".")) {
      throw new IllegalArgumentException("'" + fileName + "' is not a plain file name");
    }
    Path dir;
    Path file;
    try (InputStream in = loader.getResourceAsStream(resource)) {
      if (in == null) {
        throw new UnsatisfiedLinkError("native library " + resource + " is not on the class path");
      }
      dir = Files.createTempDirectory("hyperinfer-native");
      file = dir.resolve(fileName);
      Files.copy(in, file);
    } catch (IOException e) {
      throw new UnsatisfiedLinkError("cannot extract native library " + resource + ": " + e.getMessage());
    }
    try {
      load.accept(file);
    } finally {
      delete(dir, file);
    }
  }

  private static void delete(Path dir, Path file) {
    try {
      Files.deleteIfExists(file);
      Files.deleteIfExists(dir);
    } catch (IOException inUse) {
      // Deleted in reverse order of registration: the file, then its folder.
      dir.toFile().deleteOnExit();
      file.toFile().deleteOnExit();
    }
  }
}
