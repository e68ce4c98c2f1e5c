package io.hyperinfer.network;

import static io.hyperinfer.network.RosterTest.assertCode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RosterCacheTest {
  @TempDir Path dir;
  private final NetworkKey network = NetworkKey.generate();
  private final SignedRoster v2 = network.sign(Roster.empty(network.hex()).admit("01".repeat(32), Role.AUTH));

  @Test
  void shouldWritePrivateFilesThatLoadBackWhenARosterIsStored() throws Exception {
    RosterCache cache = new RosterCache(dir.resolve("net/roster.bin"));

    cache.store(v2);

    assertEquals(v2, cache.load(network).orElseThrow());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(cache.file())));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("net"))));
    try (var files = Files.list(dir.resolve("net"))) {
      assertEquals(1, files.count(), "no temporary file left behind");
    }
  }

  @Test
  void shouldStartEmptyWhenThereIsNoFile() {
    assertEquals(Optional.empty(), new RosterCache(dir.resolve("none")).load(network));
  }

  @Test
  void shouldRefuseTheFileWhenItWasTamperedWithOrBelongsToAnotherNetwork() throws Exception {
    RosterCache cache = new RosterCache(dir.resolve("roster.bin"));
    cache.store(v2);
    byte[] bytes = Files.readAllBytes(cache.file());

    assertCode(NetworkException.Code.FORGED, () -> cache.load(NetworkKey.generate()));
    bytes[bytes.length - 1] ^= 1;
    Files.write(cache.file(), bytes);
    assertCode(NetworkException.Code.FORGED, () -> cache.load(network));
    Files.write(cache.file(), new byte[] {9, 9});
    assertCode(NetworkException.Code.BAD_ROSTER, () -> cache.load(network));
  }

  @Test
  void shouldFailWithIoWhenTheFileCannotBeReadOrWritten() throws Exception {
    Files.createDirectories(dir.resolve("adir"));
    RosterCache unreadable = new RosterCache(dir.resolve("adir"));
    assertCode(NetworkException.Code.IO, () -> unreadable.load(network));
    Files.writeString(dir.resolve("afile"), "x");
    RosterCache unwritable = new RosterCache(dir.resolve("afile/roster.bin"));
    assertCode(NetworkException.Code.IO, () -> unwritable.store(v2));
  }

  @Test
  void shouldFollowTheBookWhenAttached() {
    RosterCache cache = new RosterCache(dir.resolve("roster.bin"));
    cache.store(v2);
    RosterBook book = new RosterBook(network);

    assertEquals(RosterBook.Verdict.ACCEPTED, cache.attach(book).orElseThrow());
    SignedRoster v3 = network.sign(v2.roster().revoke("01".repeat(32), null));
    book.offer(v3);

    assertEquals(v3, cache.load(network).orElseThrow());
    assertTrue(new RosterCache(dir.resolve("other")).attach(new RosterBook(network)).isEmpty());
  }
}
