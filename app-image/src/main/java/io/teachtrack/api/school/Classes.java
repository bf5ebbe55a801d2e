package io.teachtrack.api.school;

import io.teachtrack.api.school.Records.SchoolClass;
import io.teachtrack.api.security.Caller;
import io.teachtrack.api.web.ApiException;
import jakarta.enterprise.context.ApplicationScoped;

/** Finds classes (cached) and decides who may touch one: the admin, or the teacher who teaches it. */
@ApplicationScoped
public class Classes {

    static final String SELECT_ONE = "SELECT id, subject_id, teacher_id, group_name FROM classes WHERE id = :id";

    private final CachedReads reads;

    public Classes(CachedReads reads) {
        this.reads = reads;
    }

    public SchoolClass find(Caller caller, long classId) {
        return reads.one(caller, Scopes.CLASS, classId, SchoolClass.class, SELECT_ONE)
                .orElseThrow(() -> ApiException.notFound("class", classId));
    }

    /** The class, if the caller may see and change it; 404 when it does not exist, 403 when it is someone else's. */
    public SchoolClass requireAccess(Caller caller, long classId) {
        SchoolClass found = find(caller, classId);
        if (!caller.isAdmin() && !caller.teaches(found.teacherId())) {
            throw ApiException.forbidden("class " + classId + " is not one of your classes");
        }
        return found;
    }
}
