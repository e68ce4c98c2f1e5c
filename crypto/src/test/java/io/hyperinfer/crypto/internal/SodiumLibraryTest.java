package io.hyperinfer.crypto.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.FunctionDescriptor;
import org.junit.jupiter.api.Test;

class SodiumLibraryTest {
  @Test
  void shouldPickBundledBinaryWhenPlatformIsKnown() {
    assertEquals("linux64/libsodium.so", SodiumLibrary.bundledResource("Linux", "amd64"));
    assertEquals("arm64/libsodium.so", SodiumLibrary.bundledResource("Linux", "aarch64"));
    assertEquals("mac_arm/libsodium.dylib", SodiumLibrary.bundledResource("Mac OS X", "aarch64"));
    assertEquals("mac/libsodium.dylib", SodiumLibrary.bundledResource("Mac OS X", "x86_64"));
    assertEquals("windows64/libsodium.dll", SodiumLibrary.bundledResource("Windows 11", "amd64"));
    assertEquals("linux/libsodium.so", SodiumLibrary.bundledResource("Linux", "x86"));
  }

  @Test
  void shouldFailClearlyWhenFunctionIsMissing() {
    var e = assertThrows(UnsatisfiedLinkError.class,
        () -> SodiumLibrary.function("no_such_function", FunctionDescriptor.ofVoid()));
    assertEquals("libsodium has no function no_such_function", e.getMessage());
  }
}
