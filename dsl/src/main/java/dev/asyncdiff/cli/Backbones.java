package dev.asyncdiff.cli;

import dev.asyncdiff.Pipeline;

import java.nio.file.Path;

/** Resolves --backbone names to pipelines. */
final class Backbones {
    static final String CHOICES = "tiny, gmm, flux, sd35 (flux and sd35 need --weights DIR, a diffusers folder)";

    private Backbones() {
    }

    /**
     * {@code weights}: for tiny a folder of weights from train-base, or null for the shipped ones; for sd35 and flux
     * the folder of a diffusers checkpoint (without it their presets fail when run).
     */
    static Pipeline pipeline(String name, Path gmmSpec, Path weights) {
        return pipeline(name, gmmSpec, weights, null);
    }

    /** As {@link #pipeline(String, Path, Path)}, with sd35 and flux at images of side {@code imageSize} if given. */
    static Pipeline pipeline(String name, Path gmmSpec, Path weights, Integer imageSize) {
        boolean real = name.equals("flux") || name.equals("sd35");
        if (imageSize != null && !real) {
            throw new IllegalArgumentException("--image-size applies to --backbone sd35 and flux only (got --backbone "
                    + name + ")");
        }
        if (weights != null && name.equals("gmm")) {
            throw new IllegalArgumentException("--weights applies to --backbone tiny, sd35 and flux (got --backbone "
                    + name + ")");
        }
        int size = imageSize == null ? Pipeline.DEFAULT_IMAGE_SIZE : imageSize;
        switch (name) {
            case "gmm" -> {
                if (gmmSpec == null) {
                    throw new IllegalArgumentException("--backbone gmm needs --gmm-spec FILE.json");
                }
                return Pipeline.gmm(gmmSpec);
            }
            case "tiny" -> {
                return weights == null ? Pipeline.tiny() : Pipeline.tiny(weights);
            }
            case "sd35" -> {
                return weights == null ? Pipeline.sd35() : Pipeline.sd35(weights, size);
            }
            case "flux" -> {
                return weights == null ? Pipeline.flux() : Pipeline.flux(weights, size);
            }
            default -> throw new IllegalArgumentException("unknown backbone '" + name + "' (choose " + CHOICES + ")");
        }
    }
}
