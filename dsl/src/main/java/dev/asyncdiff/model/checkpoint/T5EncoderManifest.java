package dev.asyncdiff.model.checkpoint;

/**
 * transformers' T5EncoderModel (T5 v1.1, e.g. T5-XXL): the shared token embedding, encoder blocks of bias-free
 * self-attention and a (gated) feed-forward, each behind an RMSNorm weight, the relative-position bias table in block
 * 0 only, and the final RMSNorm weight. {@code encoder.embed_tokens.weight} is tied to {@code shared.weight}; some
 * writers store it too, the published SD3.5 and Flux checkpoints do not.
 */
final class T5EncoderManifest {
    private T5EncoderManifest() {
    }

    static Manifest of(ComponentConfig c) {
        long d = c.integer("d_model");
        long inner = (long) c.integer("num_heads") * c.integer("d_kv");
        long ff = c.integer("d_ff");
        long vocab = c.integer("vocab_size");
        boolean gated = c.string("feed_forward_proj", "relu").startsWith("gated-");
        ManifestBuilder b = new ManifestBuilder();
        b.weight("shared.weight", vocab, d);
        b.tensor("encoder.embed_tokens.weight", ExpectedTensor.Role.OPTIONAL, vocab, d);
        for (int i = 0; i < c.integer("num_layers"); i++) {
            String p = "encoder.block." + i + ".layer.";
            b.linearNoBias(p + "0.SelfAttention.q", d, inner).linearNoBias(p + "0.SelfAttention.k", d, inner)
                    .linearNoBias(p + "0.SelfAttention.v", d, inner).linearNoBias(p + "0.SelfAttention.o", inner, d);
            if (i == 0) {
                b.weight(p + "0.SelfAttention.relative_attention_bias.weight",
                        c.integer("relative_attention_num_buckets", 32), c.integer("num_heads"));
            }
            b.weight(p + "0.layer_norm.weight", d);
            if (gated) {
                b.linearNoBias(p + "1.DenseReluDense.wi_0", d, ff).linearNoBias(p + "1.DenseReluDense.wi_1", d, ff);
            } else {
                b.linearNoBias(p + "1.DenseReluDense.wi", d, ff);
            }
            b.linearNoBias(p + "1.DenseReluDense.wo", ff, d);
            b.weight(p + "1.layer_norm.weight", d);
        }
        b.weight("encoder.final_layer_norm.weight", d);
        return b.build("T5EncoderModel");
    }
}
