package dev.asyncdiff.model.checkpoint;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a backbone's checkpoint against the manifests of its components, from the safetensors headers alone: no
 * tensor data is read, so a folder of tens of GB is checked in about the time it takes to list it.
 */
public final class WeightsCheck {
    private WeightsCheck() {
    }

    /** One component's result. */
    public record ComponentReport(String component, Architecture architecture, ManifestReport report,
                                  Set<TensorDType> dtypes) {
    }

    /** Every component of a diffusers folder. Folder-level faults (no model_index.json, …) throw. */
    public static List<ComponentReport> folder(BackboneLayout backbone, Path root) {
        DiffusersFolder folder = DiffusersFolder.open(root);
        List<ComponentReport> out = new ArrayList<>();
        for (String name : backbone.components().keySet()) {
            out.add(model(name, backbone.architecture(name), folder.component(name)));
        }
        return out;
    }

    /**
     * One component: {@code dir} is a diffusers folder holding it, or the component's own folder (holding
     * config.json).
     */
    public static ComponentReport component(BackboneLayout backbone, String component, Path dir) {
        backbone.architecture(component);
        Path inside = dir.resolve(component);
        boolean nested = Files.isRegularFile(dir.resolve(DiffusersFolder.INDEX)) || Files.isDirectory(inside)
                && Files.isRegularFile(inside.resolve(ComponentConfig.FILE));
        return model(component, backbone.architecture(component), nested ? DiffusersFolder.open(dir).component(component)
                : dir);
    }

    /**
     * One model folder (holding config.json and its safetensors) checked as {@code architecture}, reported under
     * {@code component}: a component of a backbone, or a model outside any diffusers layout (a reward's CLIPModel).
     */
    public static ComponentReport model(String component, Architecture architecture, Path dir) {
        ComponentFolder folder = ComponentFolder.open(dir);
        return report(component, architecture, architecture.manifest(folder.config()), folder.tensors());
    }

    /**
     * {@code tensors} checked against {@code manifest} (the manifest {@code architecture} derives for them), reported
     * under {@code component} with the dtypes they are stored in: how every checkpoint source, a folder of
     * safetensors or a torch.save file, becomes a report.
     */
    public static ComponentReport report(String component, Architecture architecture, Manifest manifest,
                                         Map<String, TensorEntry> tensors) {
        Set<TensorDType> dtypes = EnumSet.noneOf(TensorDType.class);
        tensors.values().forEach(t -> dtypes.add(t.dtype()));
        return new ComponentReport(component, architecture, manifest.check(tensors), dtypes);
    }
}
