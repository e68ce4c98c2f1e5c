package io.hyperinfer.hypercore;

import static io.hyperinfer.hypercore.HypercoreTest.b;
import static io.hyperinfer.hypercore.HypercoreTest.blocks;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hyperinfer.crypto.Ed25519;
import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.testkit.Seeds;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProofTest {
  private static final KeyPair KEYS = Ed25519.fromSeed(new byte[32]);

  @TempDir Path dir;

  private static Hypercore replica(HypercoreStore store, Hypercore writer) {
    return store.open(writer.manifest(), HypercoreStore.OnCorruption.FAIL);
  }

  @Test
  void shouldReplicateEveryBlockWhenUpgradeThenBlockProofsAreVerified() {
    try (HypercoreStore a = HypercoreStore.open(dir.resolve("a"));
        HypercoreStore b = HypercoreStore.open(dir.resolve("b"));
        Hypercore writer = a.open(KEYS);
        Hypercore reader = replica(b, writer)) {
      writer.append(blocks(0, 37));
      reader.verify(new Proof(0, null, writer.upgradeProof(0)));
      assertEquals(37, reader.length());
      assertArrayEquals(writer.treeHash(), reader.treeHash());
      HypercoreException missing = assertThrows(HypercoreException.class, () -> reader.get(3));
      assertEquals(HypercoreException.Code.BLOCK_NOT_AVAILABLE, missing.code());
      for (int i = 36; i >= 0; i--) {
        reader.verify(new Proof(0, writer.blockProof(i), null));
      }
      for (int i = 0; i < 37; i++) {
        assertArrayEquals(writer.get(i), reader.get(i));
      }
    }
  }

  @Test
  void shouldAcceptBlockAndUpgradeTogetherWhenTheBlockRootIsNew() {
    try (HypercoreStore a = HypercoreStore.open(dir.resolve("a"));
        HypercoreStore b = HypercoreStore.open(dir.resolve("b"));
        Hypercore writer = a.open(KEYS);
        Hypercore reader = replica(b, writer)) {
      writer.append(blocks(0, 8));
      try (Hypercore at8 = writer.snapshot()) {
        writer.append(blocks(8, 13));
        reader.verify(at8.proof(5, 0));
        assertArrayEquals(b("b5"), reader.get(5));
        assertEquals(8, reader.length());
        reader.verify(writer.proof(2, 8));
        reader.verify(writer.proof(11, 8));
        reader.verify(writer.proof(12, 13));
        assertEquals(13, reader.length());
        assertArrayEquals(b("b11"), reader.get(11));
        assertArrayEquals(b("b2"), reader.get(2));
      }
    }
  }

  @Test
  void shouldRejectProofWhenUpgradeRepeatsTheBlockRoot() {
    try (HypercoreStore a = HypercoreStore.open(dir.resolve("a"));
        HypercoreStore b = HypercoreStore.open(dir.resolve("b"));
        Hypercore writer = a.open(KEYS);
        Hypercore reader = replica(b, writer)) {
      writer.append(blocks(0, 8));
      Proof doubled = new Proof(0, writer.blockProof(5), writer.upgradeProof(0));
      HypercoreException e = assertThrows(HypercoreException.class, () -> reader.verify(doubled));
      assertEquals(HypercoreException.Code.INVALID_PROOF, e.code());
      assertEquals(0, reader.length());
    }
  }

  /** 30 random (from, to) pairs in the fuzz tier; the unit tier tries fewer of the same generator. */
  @Tag("fuzz")
  @Test
  void shouldGrowTheReplicaWhenUpgradingFromAnyEarlierLength() {
    SplittableRandom random = Seeds.random("ProofTest.upgrade");
    try (HypercoreStore a = HypercoreStore.open(dir.resolve("a")); Hypercore writer = a.open(KEYS)) {
      List<Hypercore> snaps = new ArrayList<>();
      for (int len = 1; len <= 40; len++) {
        writer.append(b("x" + len));
        snaps.add(writer.snapshot());
      }
      for (int round = 0, rounds = Seeds.cases(30, 8); round < rounds; round++) {
        int from = 1 + random.nextInt(39);
        int to = from + 1 + random.nextInt(40 - from);
        try (HypercoreStore b = HypercoreStore.open(dir.resolve("r" + round));
            Hypercore reader = replica(b, writer)) {
          reader.verify(new Proof(0, null, snaps.get(from - 1).upgradeProof(0)));
          reader.verify(new Proof(0, null, snaps.get(to - 1).upgradeProof(from)));
          assertEquals(to, reader.length(), "from " + from + " to " + to);
          assertArrayEquals(snaps.get(to - 1).treeHash(), reader.treeHash());
          int block = random.nextInt(to);
          reader.verify(new Proof(0, snaps.get(to - 1).blockProof(block), null));
          assertArrayEquals(b("x" + (block + 1)), reader.get(block));
        }
      }
      snaps.forEach(Hypercore::close);
    }
  }

  @Test
  void shouldRejectAndStoreNothingWhenBlockIsTampered() {
    try (HypercoreStore a = HypercoreStore.open(dir.resolve("a"));
        HypercoreStore b = HypercoreStore.open(dir.resolve("b"));
        Hypercore writer = a.open(KEYS);
        Hypercore reader = replica(b, writer)) {
      writer.append(blocks(0, 10));
      reader.verify(new Proof(0, null, writer.upgradeProof(0)));
      BlockProof good = writer.blockProof(4);
      BlockProof bad = new BlockProof(4, b("evil"), good.nodes());
      HypercoreException e = assertThrows(HypercoreException.class, () -> reader.verify(new Proof(0, bad, null)));
      assertEquals(HypercoreException.Code.INVALID_CHECKSUM, e.code());
      assertFalse(reader.has(4));
      BlockProof shifted = new BlockProof(4, good.value(), good.nodes().subList(1, good.nodes().size()));
      assertThrows(HypercoreException.class, () -> reader.verify(new Proof(0, shifted, null)));
    }
  }

  @Test
  void shouldRejectUpgradeWhenSignatureOrNodesAreWrong() {
    try (HypercoreStore a = HypercoreStore.open(dir.resolve("a"));
        HypercoreStore b = HypercoreStore.open(dir.resolve("b"));
        Hypercore writer = a.open(KEYS);
        Hypercore reader = replica(b, writer)) {
      writer.append(blocks(0, 10));
      UpgradeProof good = writer.upgradeProof(0);
      byte[] sig = good.signature();
      sig[10] ^= 1;
      UpgradeProof badSig = new UpgradeProof(0, 10, good.nodes(), sig);
      HypercoreException e = assertThrows(HypercoreException.class, () -> reader.verify(new Proof(0, null, badSig)));
      assertEquals(HypercoreException.Code.INVALID_SIGNATURE, e.code());
      UpgradeProof missing = new UpgradeProof(0, 10, good.nodes().subList(1, 2), good.signature());
      e = assertThrows(HypercoreException.class, () -> reader.verify(new Proof(0, null, missing)));
      assertEquals(HypercoreException.Code.INVALID_PROOF, e.code());
      List<MerkleNode> extra = new ArrayList<>(good.nodes());
      extra.add(new MerkleNode(100, 1, new byte[32]));
      UpgradeProof tooMany = new UpgradeProof(0, 10, extra, good.signature());
      assertThrows(HypercoreException.class, () -> reader.verify(new Proof(0, null, tooMany)));
      assertEquals(0, reader.length());
      reader.verify(new Proof(0, null, good));
      assertEquals(10, reader.length());
    }
  }

  @Test
  void shouldRejectProofPartsWhenMalformed() {
    assertThrows(HypercoreException.class, () -> new Proof(0, null, null));
    assertThrows(HypercoreException.class, () -> new BlockProof(-1, new byte[0], List.of()));
    assertThrows(HypercoreException.class, () -> new UpgradeProof(0, 1, List.of(), null));
    assertThrows(HypercoreException.class, () -> new MerkleNode(0, 0, new byte[31]));
    assertEquals(5, new UpgradeProof(2, 3, List.of(), new byte[64]).end());
  }
}
