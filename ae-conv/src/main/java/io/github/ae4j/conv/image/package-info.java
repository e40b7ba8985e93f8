/**
 * Images in and out: {@link io.github.ae4j.conv.image.ImageFolder} reads a folder of PNG/JPEG
 * files with {@code javax.imageio}, {@link io.github.ae4j.conv.image.ImageData} reads folders, IDX
 * and CSV files alike, {@link io.github.ae4j.conv.image.ImageGrid} draws rows of images into one
 * PNG and {@link io.github.ae4j.conv.image.AnomalyMaps} draws per-pixel reconstruction errors as
 * heat maps. Every image is a flattened row in height, width, channels (HWC) order; every file is
 * written atomically.
 */
package io.github.ae4j.conv.image;
