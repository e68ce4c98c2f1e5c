package io.hyperinfer.gateway;

import io.hyperinfer.contract.infer.ModelsReply;
import io.hyperinfer.contract.infer.ServedModel;
import java.util.ArrayList;
import java.util.TreeSet;

/**
 * One model as the network serves it, merged over the processors that announce it: how many, the features any of
 * them offers, and the earliest creation time reported. Confined to the thread building a {@code models} answer.
 */
final class ModelSummary {
  private int processors;
  private final TreeSet<String> features = new TreeSet<>();
  private long created = Long.MAX_VALUE;

  void add(ServedModel m) {
    processors++;
    features.addAll(m.features());
    if (m.created() > 0) {
      created = Math.min(created, m.created());
    }
  }

  ModelsReply.Model toModel(String id) {
    return new ModelsReply.Model(id, processors, new ArrayList<>(features), created == Long.MAX_VALUE ? 0 : created);
  }
}
