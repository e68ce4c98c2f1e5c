package io.hyperinfer.hypercore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class FlatTreeTest {
  @Test
  void shouldComputeParentsSiblingsAndChildrenWhenGivenFlatIndexes() {
    assertEquals(1, FlatTree.parent(0));
    assertEquals(1, FlatTree.parent(2));
    assertEquals(3, FlatTree.parent(1));
    assertEquals(11, FlatTree.parent(9));
    assertEquals(2, FlatTree.sibling(0));
    assertEquals(5, FlatTree.sibling(1));
    assertEquals(1, FlatTree.leftChild(3));
    assertEquals(5, FlatTree.rightChild(3));
    assertEquals(-1, FlatTree.leftChild(4));
    assertEquals(-1, FlatTree.rightChild(4));
    assertEquals(2, FlatTree.depth(3));
    assertEquals(0, FlatTree.depth(6));
    assertEquals(1, FlatTree.offset(5));
    assertEquals(7, FlatTree.index(3, 0));
  }

  @Test
  void shouldSpanLeavesWhenGivenParents() {
    assertEquals(0, FlatTree.leftSpan(3));
    assertEquals(6, FlatTree.rightSpan(3));
    assertEquals(8, FlatTree.leftSpan(8));
    assertEquals(8, FlatTree.rightSpan(8));
    assertEquals(8, FlatTree.leftSpan(11));
    assertEquals(14, FlatTree.rightSpan(11));
    assertEquals(4, FlatTree.countLeaves(3));
    assertTrue(FlatTree.contains(3, 6));
    assertFalse(FlatTree.contains(3, 8));
  }

  @Test
  void shouldListFullRootsWhenGivenALength() {
    assertEquals(List.of(), FlatTree.fullRoots(0));
    assertEquals(List.of(0L), FlatTree.fullRoots(1));
    assertEquals(List.of(1L), FlatTree.fullRoots(2));
    assertEquals(List.of(1L, 4L), FlatTree.fullRoots(3));
    assertEquals(List.of(7L, 17L, 20L), FlatTree.fullRoots(11));
    assertEquals(List.of(511L, 1279L, 1663L, 1855L, 1951L, 1991L), FlatTree.fullRoots(1000));
    assertThrows(IllegalArgumentException.class, () -> FlatTree.fullRoots(-1));
  }
}
