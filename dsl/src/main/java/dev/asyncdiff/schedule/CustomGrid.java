package dev.asyncdiff.schedule;

import java.util.Arrays;

/** A grid given point by point; its step count is fixed by the list. */
public record CustomGrid(double[] points) implements TimeGrid {

    public CustomGrid {
        points = GridCheck.validate(points.clone());
    }

    @Override
    public double[] times(int steps) {
        if (steps != points.length - 1) {
            throw new IllegalArgumentException("the custom grid has " + (points.length - 1)
                    + " steps; set steps to " + (points.length - 1) + " (got " + steps + ")");
        }
        return points.clone();
    }

    @Override
    public String spec() {
        StringBuilder sb = new StringBuilder("custom:");
        for (int i = 0; i < points.length; i++) {
            sb.append(i == 0 ? "" : ",").append(points[i]);
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CustomGrid c && Arrays.equals(points, c.points);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(points);
    }

    @Override
    public String toString() {
        return spec();
    }
}
