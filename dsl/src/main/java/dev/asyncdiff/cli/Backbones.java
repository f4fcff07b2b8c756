package dev.asyncdiff.cli;

import dev.asyncdiff.Pipeline;

import java.nio.file.Path;

/** Resolves --backbone names to pipelines. */
final class Backbones {
    static final String CHOICES = "tiny, gmm, flux, sd35 (flux and sd35 need weights that are not on this machine)";

    private Backbones() {
    }

    /** {@code tinyWeights}: a folder of weights from train-base for tiny, or null for the shipped ones. */
    static Pipeline pipeline(String name, Path gmmSpec, Path tinyWeights) {
        if (tinyWeights != null && !name.equals("tiny")) {
            throw new IllegalArgumentException("--weights applies to --backbone tiny only (got --backbone " + name + ")");
        }
        switch (name) {
            case "gmm" -> {
                if (gmmSpec == null) {
                    throw new IllegalArgumentException("--backbone gmm needs --gmm-spec FILE.json");
                }
                return Pipeline.gmm(gmmSpec);
            }
            case "tiny" -> {
                return tinyWeights == null ? Pipeline.tiny() : Pipeline.tiny(tinyWeights);
            }
            case "flux", "sd35" -> {
                return Pipeline.named(name);
            }
            default -> throw new IllegalArgumentException("unknown backbone '" + name + "' (choose " + CHOICES + ")");
        }
    }
}
