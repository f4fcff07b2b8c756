package dev.asyncdiff.cli;

import dev.asyncdiff.Pipeline;
import dev.asyncdiff.model.Loading;
import dev.asyncdiff.model.device.ComputeDevice;

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
        return pipeline(name, gmmSpec, weights, null, ComputeDevice.CPU);
    }

    /** Whether the backbone is a published one (sd35, flux) loaded from a diffusers folder. */
    static boolean real(String name) {
        return name.equals("flux") || name.equals("sd35");
    }

    /**
     * As {@link #pipeline(String, Path, Path)}, with sd35 and flux at images of side {@code imageSize} if given, on
     * {@code device} (see {@link DeviceOption}).
     */
    static Pipeline pipeline(String name, Path gmmSpec, Path weights, Integer imageSize, ComputeDevice device) {
        if (imageSize != null && !real(name)) {
            throw new IllegalArgumentException("--image-size applies to --backbone sd35 and flux only (got --backbone "
                    + name + ")");
        }
        if (weights != null && name.equals("gmm")) {
            throw new IllegalArgumentException("--weights applies to --backbone tiny, sd35 and flux (got --backbone "
                    + name + ")");
        }
        Loading loading = Loading.defaults().device(device);
        if (imageSize != null) {
            loading = loading.imageSize(imageSize);
        }
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
                return weights == null ? Pipeline.sd35() : Pipeline.sd35(weights, loading);
            }
            case "flux" -> {
                return weights == null ? Pipeline.flux() : Pipeline.flux(weights, loading);
            }
            default -> throw new IllegalArgumentException("unknown backbone '" + name + "' (choose " + CHOICES + ")");
        }
    }
}
