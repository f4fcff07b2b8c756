package dev.asyncdiff.cli;

import dev.asyncdiff.Pipeline;

import java.nio.file.Path;

/** Resolves --backbone names to pipelines. */
final class Backbones {
    static final String CHOICES = "tiny, gmm, flux, sd35 (flux and sd35 need weights that are not on this machine)";

    private Backbones() {
    }

    static Pipeline pipeline(String name, Path gmmSpec) {
        switch (name) {
            case "gmm" -> {
                if (gmmSpec == null) {
                    throw new IllegalArgumentException("--backbone gmm needs --gmm-spec FILE.json");
                }
                return Pipeline.gmm(gmmSpec);
            }
            case "tiny" -> {
                return Pipeline.tiny();
            }
            case "flux" -> {
                return Pipeline.flux();
            }
            case "sd35" -> {
                return Pipeline.sd35();
            }
            default -> throw new IllegalArgumentException("unknown backbone '" + name + "' (choose " + CHOICES + ")");
        }
    }
}
