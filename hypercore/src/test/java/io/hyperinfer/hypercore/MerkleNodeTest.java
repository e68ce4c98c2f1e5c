package io.hyperinfer.hypercore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.hyperinfer.crypto.Blake2b;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class MerkleNodeTest {
  private static byte[] leafInput(byte[] block) {
    return Bytes.concat(new byte[] {0}, Bytes.uint64(block.length), block);
  }

  @Test
  void shouldHashTheSameWhenBlockIsSmallOrLarge() {
    for (int size : new int[] {0, 1, 4096, 4097, 100_000}) {
      byte[] block = new byte[size];
      Arrays.fill(block, (byte) 3);
      MerkleNode leaf = MerkleNode.leaf(5, block);
      assertArrayEquals(Blake2b.hash(leafInput(block)), leaf.hash(), "size " + size);
      assertEquals(10, leaf.index());
      assertEquals(size, leaf.size());
    }
  }

  @Test
  void shouldOrderChildrenByIndexWhenHashingAParent() {
    MerkleNode a = MerkleNode.leaf(0, new byte[] {1});
    MerkleNode b = MerkleNode.leaf(1, new byte[] {2, 3});
    MerkleNode p = MerkleNode.parent(b, a);
    assertEquals(MerkleNode.parent(a, b), p);
    assertEquals(1, p.index());
    assertEquals(3, p.size());
    byte[] expected = Blake2b.hash(Bytes.concat(new byte[] {1}, Bytes.uint64(3), a.hash(), b.hash()));
    assertArrayEquals(expected, p.hash());
    assertNotEquals(a, b);
    assertEquals(a.hashCode(), MerkleNode.leaf(0, new byte[] {1}).hashCode());
  }
}
