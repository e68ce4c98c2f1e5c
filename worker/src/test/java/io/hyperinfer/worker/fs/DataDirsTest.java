package io.hyperinfer.worker.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirsTest {
  private static final Path HOME = Path.of("/home/ada");

  @TempDir
  Path dir;

  @Test
  void shouldFollowXdgDefaultsWhenNoVariableIsSet() {
    DataDirs d = DataDirs.forUser(Map.of(), HOME);
    assertEquals(Path.of("/home/ada/.local/share/hyperinfer"), d.data());
    assertEquals(Path.of("/home/ada/.config/hyperinfer"), d.config());
    assertEquals(Path.of("/home/ada/.local/state/hyperinfer"), d.state());
    assertEquals(Path.of("/home/ada/.config/hyperinfer/credentials.json"), d.credentials());
    assertEquals(Path.of("/home/ada/.local/state/hyperinfer/logs"), d.logs());
    assertEquals(Path.of("/home/ada/.local/share/hyperinfer/workers/auth-a1"), d.workerStore("auth", "a1"));
  }

  @Test
  void shouldUseXdgVariablesWhenAbsoluteAndIgnoreThemWhenRelative() {
    DataDirs d = DataDirs.forUser(Map.of("XDG_DATA_HOME", "/srv/data", "XDG_CONFIG_HOME", "relative/cfg",
        "XDG_STATE_HOME", "/var/lib/st"), HOME);
    assertEquals(Path.of("/srv/data/hyperinfer"), d.data());
    assertEquals(Path.of("/home/ada/.config/hyperinfer"), d.config());
    assertEquals(Path.of("/var/lib/st/hyperinfer"), d.state());
  }

  @Test
  void shouldPutEverythingUnderOneFolderWhenOverridden() {
    DataDirs d = DataDirs.forUser(Map.of(DataDirs.OVERRIDE_ENV, "/opt/hi", "XDG_DATA_HOME", "/srv/data"), HOME);
    assertEquals(DataDirs.under(Path.of("/opt/hi")), d);
    assertEquals(Path.of("/opt/hi/data"), d.data());
    assertEquals(Path.of("/opt/hi/config"), d.config());
    assertEquals(Path.of("/opt/hi/state"), d.state());
  }

  @Test
  void shouldCreateOwnerOnlyFoldersWhenAsked() throws Exception {
    DataDirs d = DataDirs.under(dir.resolve("root")).create();
    for (Path p : new Path[] {d.data(), d.config(), d.state(), dir.resolve("root")}) {
      assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(p)), p.toString());
    }
  }

  @Test
  void shouldRefuseNamesThatEscapeTheFolderWhenNamingWorkerStores() {
    DataDirs d = DataDirs.under(dir);
    for (String bad : new String[] {"..", "a/b", "", ".hidden", "x y"}) {
      assertThrows(IllegalArgumentException.class, () -> d.workerStore("auth", bad), bad);
    }
  }
}
