package io.hyperinfer.processor.engine.minilm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hyperinfer.testkit.Seeds;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our WordPiece tokenizer against Hugging Face's Rust tokenizers (through DJL) on the same tokenizer.json: the ids must
 * match token for token, on hand-picked hard cases and on seeded random text mixing scripts, accents, punctuation,
 * controls and whitespace of every kind.
 */
class WordPieceTokenizerTest {
  @TempDir
  static Path dir;
  private static WordPieceTokenizer ours;
  private static HuggingFaceTokenizer reference;

  @BeforeAll
  static void load() throws Exception {
    System.setProperty("DJL_CACHE_DIR", dir.resolve("djl").toString());
    System.setProperty("ai.djl.offline", "true");
    Path json = dir.resolve("tokenizer.json");
    try (InputStream in = WordPieceTokenizerTest.class.getResourceAsStream(MiniLmModel.TOKENIZER_RESOURCE)) {
      Files.copy(in, json);
    }
    ours = WordPieceTokenizer.fromTokenizerJson(new ObjectMapper().readTree(json.toFile()));
    reference = HuggingFaceTokenizer.newInstance(json, Map.of("truncation", "false", "padding", "false",
        "maxLength", "100000"));
  }

  @AfterAll
  static void close() {
    if (reference != null) {
      reference.close();
    }
  }

  private static void assertSame(String text) {
    Encoding e = reference.encode(text);
    assertArrayEquals(e.getIds(), ours.encode(text), () -> "text: " + text.codePoints()
        .mapToObj(c -> String.format("U+%04X", c)).toList());
  }

  @Test
  void shouldMatchReferenceWhenTextIsHard() {
    for (String text : List.of("Hello, world!", "The café's naïve façade.", "ÀÉÎÕÜ ñ ç ß", "unbelievably",
        "hyperinfer's p2p inference", "你好，世界", "日本語のテキスト", "한국어 텍스트", "Ελληνικά ΣΊΣΥΦΟΣ",
        "Привет, мир!", "emoji 😀👍🏽 and ZWJ 👩‍💻", "tabs\tand\nnewlines\r\nand\u00a0nbsp\u2003em space",
        "control\u0000chars\u0007here\u001b[0m", "soft\u00adhyphen and zero\u200bwidth", "İstanbul ŞİŞLİ",
        "x".repeat(101), "a" + "b".repeat(99), "$100.00 (approx.) — “quoted” «guillemets» ¿qué?", "",
        "   ", "dots... and---dashes", "\ufffdreplacement", "a\u0301\u0302 combining", "ｆｕｌｌ ｗｉｄｔｈ",
        "math ∑∫√ and arrows →⇒", "mixed123numbers456", "CamelCaseWords and snake_case_words")) {
      assertSame(text);
    }
  }

  /** 2,000 texts in the fuzz tier; the unit tier runs fewer of the same generator. */
  @Tag("fuzz")
  @Test
  void shouldMatchReferenceWhenTextIsRandom() {
    SplittableRandom random = Seeds.random("WordPieceTokenizerTest.random");
    int[][] ranges = {{0x20, 0x7E}, {0x00, 0x1F}, {0xA0, 0x17F}, {0x300, 0x36F}, {0x370, 0x3FF}, {0x400, 0x4FF},
        {0x2000, 0x206F}, {0x3000, 0x303F}, {0x4E00, 0x4E80}, {0xAC00, 0xAC80}, {0x1F600, 0x1F64F}, {0xE000, 0xE010},
        {0xFFF0, 0xFFFF}};
    for (int n = Seeds.cases(2_000, 100); n > 0; n--) {
      StringBuilder sb = new StringBuilder();
      int length = random.nextInt(1, 80);
      for (int i = 0; i < length; i++) {
        int[] r = random.nextInt(4) == 0 ? ranges[random.nextInt(ranges.length)] : ranges[0];
        int c = random.nextInt(r[0], r[1] + 1);
        if (Character.isValidCodePoint(c) && !(c >= 0xD800 && c <= 0xDFFF)) {
          sb.appendCodePoint(c);
        }
      }
      assertSame(sb.toString());
    }
  }

  @Test
  void shouldFramePiecesWithClsAndSep() {
    long[] ids = ours.encode("hello");
    assertEquals(3, ids.length);
    assertEquals(101, ids[0]);
    assertEquals(102, ids[2]);
    List<String> words = new ArrayList<>(WordPieceTokenizer.preTokenize(WordPieceTokenizer.normalize("Don't STOP!")));
    assertEquals(List.of("don", "'", "t", "stop", "!"), words);
  }

  @Test
  void shouldRefuseTokenizerJsonThatIsNotWordPiece() throws Exception {
    assertThrows(IllegalArgumentException.class, () -> WordPieceTokenizer.fromTokenizerJson(
        new ObjectMapper().readTree("{\"model\":{\"type\":\"BPE\",\"vocab\":{}}}")));
  }
}
