package io.hyperinfer.crypto.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Loads the libsodium 1.0.20 binary bundled in lazysodium-java's jar and links its functions through FFM.
 *
 * <p>The bundled build is used rather than the system's because distributions ship older releases that lack
 * functions the Hyperswarm stack calls. Set {@code -Dhyperinfer.sodium.path=/path/libsodium.so} to load another. The
 * bundled binary is extracted to a temporary folder that is deleted as soon as it is loaded ({@link NativeLibraries}),
 * so no run leaves one behind. Thread-safe: linking happens once, in the class initialiser.
 */
public final class SodiumLibrary {
  private static final Linker LINKER = Linker.nativeLinker();
  private static final SymbolLookup LOOKUP = lookup();

  static {
    int rc;
    try {
      rc = (int) function("sodium_init", FunctionDescriptor.of(java.lang.foreign.ValueLayout.JAVA_INT)).invokeExact();
    } catch (Throwable t) {
      throw new ExceptionInInitializerError(t);
    }
    if (rc < 0) {
      throw new ExceptionInInitializerError("sodium_init failed: " + rc);
    }
  }

  private SodiumLibrary() {}

  /**
   * Links a short-running libsodium function as a critical downcall that may take heap segments
   * ({@code MemorySegment.ofArray}) directly, so Java arrays need no copy.
   */
  public static MethodHandle function(String name, FunctionDescriptor descriptor) {
    return LINKER.downcallHandle(symbol(name), descriptor, Linker.Option.critical(true));
  }

  /** Links a long-running function (Argon2id) as an ordinary downcall: it must be given native segments. */
  public static MethodHandle slowFunction(String name, FunctionDescriptor descriptor) {
    return LINKER.downcallHandle(symbol(name), descriptor);
  }

  private static MemorySegment symbol(String name) {
    return LOOKUP.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libsodium has no function " + name));
  }

  /** Links the override or the bundled binary; the bundled one's extracted copy is deleted once it is loaded. */
  private static SymbolLookup lookup() {
    String override = System.getProperty("hyperinfer.sodium.path");
    if (override != null) {
      return SymbolLookup.libraryLookup(Path.of(override), Arena.global());
    }
    String resource = bundledResource(System.getProperty("os.name"), System.getProperty("os.arch"));
    SymbolLookup[] linked = new SymbolLookup[1];
    NativeLibraries.loadFromJar(SodiumLibrary.class.getClassLoader(), resource,
        file -> linked[0] = SymbolLookup.libraryLookup(file, Arena.global()));
    return linked[0];
  }

  /** The path of the binary inside lazysodium-java's jar for an OS and CPU architecture. */
  static String bundledResource(String osName, String arch) {
    String os = osName.toLowerCase(Locale.ROOT);
    boolean arm = arch.contains("aarch64") || arch.contains("arm64");
    if (os.contains("mac") || os.contains("darwin")) {
      return (arm ? "mac_arm" : "mac") + "/libsodium.dylib";
    }
    if (os.contains("win")) {
      return (arch.contains("64") ? "windows64" : "windows") + "/libsodium.dll";
    }
    if (arm) {
      return "arm64/libsodium.so";
    }
    return (arch.contains("64") ? "linux64" : "linux") + "/libsodium.so";
  }
}
