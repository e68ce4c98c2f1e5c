package io.hyperinfer.processor.engine.llama;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Writes a tiny llama-architecture GGUF (v3) with random F32 weights and a SentencePiece-style vocabulary, so tests run
 * llama.cpp for real without downloading a model. The text it generates is noise; what matters is that the whole
 * in-process path (load, tokenize, generate, stream, cancel) works.
 */
final class TinyGguf {
  private static final int EMBD = 32;
  private static final int HEADS = 4;
  private static final int FF = 64;
  private static final int LAYERS = 1;
  private static final int ALIGN = 32;

  private final ByteArrayOutputStream head = new ByteArrayOutputStream();
  private int kvCount;

  private TinyGguf() {}

  static Path write(Path file, long seed) throws IOException {
    return write(file, seed, null);
  }

  /** With {@code chatTemplate} (Jinja) stored as {@code tokenizer.chat_template}, when not null. */
  static Path write(Path file, long seed, String chatTemplate) throws IOException {
    return new TinyGguf().build(file, seed, chatTemplate);
  }

  private Path build(Path file, long seed, String chatTemplate) throws IOException {
    List<String> tokens = new ArrayList<>(List.of("<unk>", "<s>", "</s>"));
    List<Integer> types = new ArrayList<>(List.of(2, 3, 3));
    for (int b = 0; b < 256; b++) {
      tokens.add(String.format("<0x%02X>", b));
      types.add(6);
    }
    for (String w : new String[] {"▁hello", "▁world", "▁the", "▁a", "▁is", "▁model", "▁tiny", "▁test", "▁user",
        "▁assistant", ":", "▁", "e", "t", "a", "o", "s"}) {
      tokens.add(w);
      types.add(1);
    }
    int vocab = tokens.size();
    kvString("general.architecture", "llama");
    kvString("general.name", "tiny-test");
    kvU32("llama.context_length", 256);
    kvU32("llama.embedding_length", EMBD);
    kvU32("llama.block_count", LAYERS);
    kvU32("llama.feed_forward_length", FF);
    kvU32("llama.attention.head_count", HEADS);
    kvU32("llama.attention.head_count_kv", HEADS);
    kvU32("llama.rope.dimension_count", EMBD / HEADS);
    kvF32("llama.attention.layer_norm_rms_epsilon", 1e-5f);
    kvU32("llama.vocab_size", vocab);
    kvString("tokenizer.ggml.model", "llama");
    kvStrings("tokenizer.ggml.tokens", tokens);
    float[] scores = new float[vocab];
    for (int i = 0; i < vocab; i++) {
      scores[i] = -i;
    }
    kvF32s("tokenizer.ggml.scores", scores);
    kvI32s("tokenizer.ggml.token_type", types);
    kvU32("tokenizer.ggml.bos_token_id", 1);
    kvU32("tokenizer.ggml.eos_token_id", 2);
    kvU32("tokenizer.ggml.unknown_token_id", 0);
    if (chatTemplate != null) {
      kvString("tokenizer.chat_template", chatTemplate);
    }

    Map<String, long[]> tensors = new LinkedHashMap<>();
    tensors.put("token_embd.weight", new long[] {EMBD, vocab});
    tensors.put("output_norm.weight", new long[] {EMBD});
    tensors.put("output.weight", new long[] {EMBD, vocab});
    for (int l = 0; l < LAYERS; l++) {
      String p = "blk." + l + ".";
      tensors.put(p + "attn_norm.weight", new long[] {EMBD});
      tensors.put(p + "attn_q.weight", new long[] {EMBD, EMBD});
      tensors.put(p + "attn_k.weight", new long[] {EMBD, EMBD});
      tensors.put(p + "attn_v.weight", new long[] {EMBD, EMBD});
      tensors.put(p + "attn_output.weight", new long[] {EMBD, EMBD});
      tensors.put(p + "ffn_norm.weight", new long[] {EMBD});
      tensors.put(p + "ffn_gate.weight", new long[] {EMBD, FF});
      tensors.put(p + "ffn_up.weight", new long[] {EMBD, FF});
      tensors.put(p + "ffn_down.weight", new long[] {FF, EMBD});
    }

    ByteArrayOutputStream infos = new ByteArrayOutputStream();
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    SplittableRandom random = new SplittableRandom(seed);
    for (var e : tensors.entrySet()) {
      long[] dims = e.getValue();
      long count = 1;
      for (long d : dims) {
        count *= d;
      }
      pad(data);
      writeString(infos, e.getKey());
      infos.write(le(4).putInt(dims.length).array());
      for (long d : dims) {
        infos.write(le(8).putLong(d).array());
      }
      infos.write(le(4).putInt(0).array());
      infos.write(le(8).putLong(data.size()).array());
      ByteBuffer values = le((int) count * 4);
      boolean norm = e.getKey().contains("norm");
      for (long i = 0; i < count; i++) {
        values.putFloat(norm ? 1f : (float) (random.nextDouble() - 0.5) * 0.2f);
      }
      data.write(values.array());
    }

    ByteArrayOutputStream file0 = new ByteArrayOutputStream();
    file0.write("GGUF".getBytes(StandardCharsets.US_ASCII));
    file0.write(le(4).putInt(3).array());
    file0.write(le(8).putLong(tensors.size()).array());
    file0.write(le(8).putLong(kvCount).array());
    file0.write(head.toByteArray());
    file0.write(infos.toByteArray());
    pad(file0);
    file0.write(data.toByteArray());
    return Files.write(file, file0.toByteArray());
  }

  private static void pad(ByteArrayOutputStream out) {
    while (out.size() % ALIGN != 0) {
      out.write(0);
    }
  }

  private static ByteBuffer le(int size) {
    return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static void writeString(ByteArrayOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.write(le(8).putLong(b.length).array());
    out.write(b);
  }

  private void key(String k, int type) throws IOException {
    writeString(head, k);
    head.write(le(4).putInt(type).array());
    kvCount++;
  }

  private void kvString(String k, String v) throws IOException {
    key(k, 8);
    writeString(head, v);
  }

  private void kvU32(String k, int v) throws IOException {
    key(k, 4);
    head.write(le(4).putInt(v).array());
  }

  private void kvF32(String k, float v) throws IOException {
    key(k, 6);
    head.write(le(4).putFloat(v).array());
  }

  private void kvStrings(String k, List<String> v) throws IOException {
    key(k, 9);
    head.write(le(4).putInt(8).array());
    head.write(le(8).putLong(v.size()).array());
    for (String s : v) {
      writeString(head, s);
    }
  }

  private void kvF32s(String k, float[] v) throws IOException {
    key(k, 9);
    head.write(le(4).putInt(6).array());
    head.write(le(8).putLong(v.length).array());
    for (float f : v) {
      head.write(le(4).putFloat(f).array());
    }
  }

  private void kvI32s(String k, List<Integer> v) throws IOException {
    key(k, 9);
    head.write(le(4).putInt(5).array());
    head.write(le(8).putLong(v.size()).array());
    for (int i : v) {
      head.write(le(4).putInt(i).array());
    }
  }
}
