package dev.asyncdiff.world;

import java.util.List;
import java.util.Objects;

/**
 * A concrete scene: a background and its objects. Scenes sampled for a caption list the objects group by group,
 * in caption order.
 */
public record Scene(Background background, List<SceneObject> objects) {

    public Scene {
        Objects.requireNonNull(background, "background");
        objects = List.copyOf(objects);
    }
}
