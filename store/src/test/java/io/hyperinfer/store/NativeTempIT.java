package io.hyperinfer.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A worker process with a disk store (libsodium and RocksDB loaded) leaves nothing in /tmp, even when killed. */
@Timeout(180)
class NativeTempIT {
  @TempDir
  Path dir;

  private List<Path> left(Path tmp) throws Exception {
    try (var files = Files.list(tmp)) {
      return files.toList();
    }
  }

  @Test
  void shouldLeaveNoNativeLibraryCopiesWhenProcessExitsOrIsKilled() throws Exception {
    Path tmp = Files.createDirectory(dir.resolve("tmp"));
    try (StoreProbe probe = new StoreProbe(dir.resolve("store"), "-Djava.io.tmpdir=" + tmp)) {
      assertEquals(List.of(), left(tmp), "nothing while it runs");
      probe.exit();
    }
    assertEquals(List.of(), left(tmp));
    try (StoreProbe probe = new StoreProbe(dir.resolve("store"), "-Djava.io.tmpdir=" + tmp)) {
      probe.kill();
    }
    assertEquals(List.of(), left(tmp));
  }
}
