package io.hyperinfer.crypto.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class NativeLibrariesTest {
  private final ClassLoader loader = NativeLibrariesTest.class.getClassLoader();

  @Test
  void shouldHandOverAPrivateCopyAndDeleteItWhenLoaded() {
    AtomicReference<Path> seen = new AtomicReference<>();
    NativeLibraries.loadFromJar(loader, "native/libfake.so", file -> {
      seen.set(file);
      assertEquals("libfake.so", file.getFileName().toString());
      assertTrue(Files.isRegularFile(file));
      try {
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
        assertEquals("not really a library\n", Files.readString(file));
      } catch (java.io.IOException e) {
        throw new AssertionError(e);
      }
    });
    assertFalse(Files.exists(seen.get()));
    assertFalse(Files.exists(seen.get().getParent()));
  }

  @Test
  void shouldDeleteTheCopyWhenLoadingFails() {
    AtomicReference<Path> seen = new AtomicReference<>();
    assertThrows(UnsatisfiedLinkError.class, () -> NativeLibraries.loadFromJar(loader, "native/libfake.so", file -> {
      seen.set(file);
      throw new UnsatisfiedLinkError("not an ELF file");
    }));
    assertFalse(Files.exists(seen.get().getParent()));
  }

  @Test
  void shouldFailClearlyWhenResourceIsMissing() {
    UnsatisfiedLinkError e = assertThrows(UnsatisfiedLinkError.class,
        () -> NativeLibraries.loadFromJar(loader, "native/absent.so", file -> { }));
    assertEquals("native library native/absent.so is not on the class path", e.getMessage());
  }

  @Test
  void shouldNameTheCopyAsAskedAndRefuseNamesThatLeaveTheFolder() {
    AtomicReference<Path> seen = new AtomicReference<>();
    NativeLibraries.loadFromJar(loader, "native/libfake.so", "libother.so", seen::set);
    assertEquals("libother.so", seen.get().getFileName().toString());
    for (String bad : new String[] {"", "../x.so", ".hidden", "a\\b"}) {
      assertThrows(IllegalArgumentException.class, () -> NativeLibraries.loadFromJar(loader, "native/libfake.so", bad,
          file -> { }), bad);
    }
  }
}
