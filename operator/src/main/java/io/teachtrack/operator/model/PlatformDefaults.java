package io.teachtrack.operator.model;

import io.teachtrack.operator.api.v1alpha1.MysqlEngine;
import io.teachtrack.operator.api.v1alpha1.TeachTrack;

import java.util.Map;

/** Defaults that come from the operator's configuration rather than the CRD: images, and the log format of the pods. */
public record PlatformDefaults(String apiImage, Map<MysqlEngine, String> databaseImages, String redisImage, LogFormat logFormat) {

    public PlatformDefaults(String apiImage, String mysqlImage, String mariadbImage, String redisImage, LogFormat logFormat) {
        this(apiImage, Map.of(MysqlEngine.MySQL, mysqlImage, MysqlEngine.MariaDB, mariadbImage), redisImage, logFormat);
    }

    public String apiImage(TeachTrack tt) {
        String image = tt.getSpec().getApi().getImage();
        return image != null && !image.isBlank() ? image : apiImage;
    }

    public String databaseImage(TeachTrack tt) {
        String image = tt.getSpec().getMysql().getImage();
        if (image != null && !image.isBlank()) {
            return image;
        }
        return databaseImages.get(tt.getSpec().getMysql().getEngine());
    }

    public String redisImage(TeachTrack tt) {
        String image = tt.getSpec().getRedis().getImage();
        return image != null && !image.isBlank() ? image : redisImage;
    }
}
