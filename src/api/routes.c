/* The route table: every route of the API, its handler, the roles that may
 * call it and whether it writes. Find any route's handler here in one hop. */
#include "api/api.h"
#include "api/base.h"
#include "api/exchange.h"

#define ADMIN    ROLE_BIT(ROLE_ADMIN)
#define ANY      ROLES_ANY
#define MANAGERS ROLES_MANAGERS
#define DISTRICT ROLE_BIT(ROLE_DISTRICT)

const struct http_route api_routes[] = {
    {"GET", "/healthz", health_get, 0, HTTP_PUBLIC | HTTP_RAW, NULL},
    {"GET", "/api/v1/healthz", health_get, 0, HTTP_PUBLIC | HTTP_RAW, NULL},

    {"POST", "/api/v1/session", session_create, 0, HTTP_PUBLIC | HTTP_RAW | HTTP_WRITE,
     "session.sign_in"},
    {"DELETE", "/api/v1/session", session_delete, ANY, HTTP_WRITE, "session.sign_out"},
    {"GET", "/api/v1/me", me_get, ANY, 0, NULL},
    {"GET", "/api/v1/roles", roles_list_h, ANY, 0, NULL},

    {"GET", "/api/v1/users", users_list_h, ADMIN, 0, NULL},
    {"POST", "/api/v1/users", users_create_h, ADMIN, HTTP_WRITE, "user.create"},
    {"GET", "/api/v1/users/{id}", users_get_h, ADMIN, 0, NULL},
    {"PATCH", "/api/v1/users/{id}", users_patch_h, ADMIN, HTTP_WRITE, "user.update"},

    {"GET", "/api/v1/tokens", tokens_list_h, ADMIN, 0, NULL},
    {"POST", "/api/v1/tokens", tokens_create_h, ADMIN, HTTP_WRITE, "token.create"},
    {"DELETE", "/api/v1/tokens/{id}", tokens_delete_h, ADMIN, HTTP_WRITE, "token.revoke"},

    {"GET", "/api/v1/regions", regions_list_h, ANY, 0, NULL},
    {"POST", "/api/v1/regions", regions_create_h, MANAGERS, HTTP_WRITE, "region.create"},
    {"POST", "/api/v1/regions/merge", regions_merge_h, MANAGERS, HTTP_WRITE, "region.merge"},
    {"GET", "/api/v1/regions/{code}", regions_get_h, ANY, HTTP_ONE_READ, NULL},
    {"PATCH", "/api/v1/regions/{code}", regions_patch_h, MANAGERS, HTTP_WRITE, "region.update"},
    {"POST", "/api/v1/regions/{code}/split", regions_split_h, MANAGERS, HTTP_WRITE, "region.split"},
    {"GET", "/api/v1/regions/{code}/history", regions_history_h, ANY, 0, NULL},

    {"GET", "/api/v1/audit", audit_list_h, ADMIN, 0, NULL},

    {"GET", "/api/v1/cases", cases_list_h, ANY, 0, NULL},
    {"POST", "/api/v1/cases", cases_create_h, ANY, HTTP_WRITE | HTTP_RAW, "case.report"},
    {"GET", "/api/v1/cases/counts", cases_counts_h, ANY, 0, NULL},
    {"GET", "/api/v1/cases/{id}", cases_get_h, ANY, 0, NULL},
    {"POST", "/api/v1/cases/{id}/actions", cases_action_h, ANY, HTTP_WRITE, "case.action"},
    {"GET", "/api/v1/cases/{id}/duplicates", cases_duplicates_h, ANY, 0, NULL},
    {"GET", "/api/v1/track/{code}", cases_track_h, 0, HTTP_PUBLIC, NULL},

    {"GET", "/api/v1/categories", categories_list_h, ANY, 0, NULL},
    {"POST", "/api/v1/categories", categories_create_h, ADMIN, HTTP_WRITE, "category.create"},
    {"PATCH", "/api/v1/categories/{code}", categories_patch_h, ADMIN, HTTP_WRITE,
     "category.update"},

    {"GET", "/api/v1/responsibilities", rules_list_h, ANY, 0, NULL},
    {"POST", "/api/v1/responsibilities", rules_create_h, ADMIN | DISTRICT, HTTP_WRITE,
     "responsibility.create"},
    {"GET", "/api/v1/responsibilities/export", rules_export_h, ANY, 0, NULL},
    {"POST", "/api/v1/responsibilities/import", rules_import_h, ADMIN | DISTRICT,
     HTTP_WRITE | HTTP_CSV, "responsibility.import", 8 * 1024 * 1024},
    {"PATCH", "/api/v1/responsibilities/{id}", rules_patch_h, ADMIN | DISTRICT, HTTP_WRITE,
     "responsibility.update"},
    {"DELETE", "/api/v1/responsibilities/{id}", rules_delete_h, ADMIN | DISTRICT, HTTP_WRITE,
     "responsibility.retire"},

    {"POST", "/api/v1/photos", photos_create_h, ANY, HTTP_WRITE | HTTP_BINARY, "photo.upload",
     5 * 1024 * 1024},
    {"GET", "/api/v1/photos/{hash}", photos_get_h, ANY, 0, NULL},
    {"GET", "/api/v1/notifications", notifications_list_h, ANY, 0, NULL},
    {"POST", "/api/v1/notifications/{id}/read", notifications_read_h, ANY, HTTP_WRITE,
     "notification.read"},

    /* base data (人、房、企): roles narrowed further per record by region reach */
    {"GET", "/api/v1/base/codes", base_codes_h, ANY, 0, NULL},
    {"GET", "/api/v1/residents", residents_list_h, BASE_READERS, 0, NULL},
    /* import/export before the {id} routes of the same resources */
    {"GET", "/api/v1/residents/export", exchange_export_h, BASE_READERS, 0, NULL},
    {"GET", "/api/v1/residents/import-template", exchange_template_h, BASE_READERS, 0, NULL},
    {"POST", "/api/v1/residents/import", exchange_import_h, BASE_WRITERS, HTTP_WRITE | HTTP_BINARY,
     "resident.import", 64 * 1024 * 1024},
    {"GET", "/api/v1/houses/export", exchange_export_h, BASE_READERS, 0, NULL},
    {"GET", "/api/v1/houses/import-template", exchange_template_h, BASE_READERS, 0, NULL},
    {"POST", "/api/v1/houses/import", exchange_import_h, BASE_WRITERS, HTTP_WRITE | HTTP_BINARY,
     "house.import", 64 * 1024 * 1024},
    {"GET", "/api/v1/organisations/export", exchange_export_h, BASE_READERS, 0, NULL},
    {"GET", "/api/v1/organisations/import-template", exchange_template_h, BASE_READERS, 0, NULL},
    {"POST", "/api/v1/organisations/import", exchange_import_h, BASE_WRITERS,
     HTTP_WRITE | HTTP_BINARY, "organisation.import", 64 * 1024 * 1024},
    {"GET", "/api/v1/imports", imports_list_h, BASE_READERS, 0, NULL},
    {"GET", "/api/v1/imports/{id}", imports_get_h, BASE_READERS, 0, NULL},
    {"GET", "/api/v1/imports/{id}/errors.csv", imports_errors_h, BASE_READERS, 0, NULL},
    {"POST", "/api/v1/residents", residents_create_h, BASE_WRITERS, HTTP_WRITE, "resident.create"},
    {"GET", "/api/v1/residents/{id}", residents_get_h, BASE_READERS, 0, NULL},
    {"PATCH", "/api/v1/residents/{id}", residents_patch_h, BASE_READERS, HTTP_WRITE,
     "resident.update"},
    {"GET", "/api/v1/residents/{id}/history", residents_history_h, BASE_READERS, 0, NULL},
    {"GET", "/api/v1/buildings", buildings_list_h, BASE_READERS, 0, NULL},
    {"POST", "/api/v1/buildings", buildings_create_h, BASE_WRITERS, HTTP_WRITE, "building.create"},
    {"GET", "/api/v1/buildings/{id}", buildings_get_h, BASE_READERS, 0, NULL},
    {"PATCH", "/api/v1/buildings/{id}", buildings_patch_h, BASE_READERS, HTTP_WRITE,
     "building.update"},
    {"GET", "/api/v1/houses", houses_list_h, BASE_READERS, 0, NULL},
    {"POST", "/api/v1/houses", houses_create_h, BASE_WRITERS, HTTP_WRITE, "house.create"},
    {"GET", "/api/v1/houses/{id}", houses_get_h, BASE_READERS, 0, NULL},
    {"PATCH", "/api/v1/houses/{id}", houses_patch_h, BASE_READERS, HTTP_WRITE, "house.update"},
    {"GET", "/api/v1/houses/{id}/history", houses_history_h, BASE_READERS, 0, NULL},
    {"POST", "/api/v1/households", households_create_h, BASE_WRITERS, HTTP_WRITE,
     "household.create"},
    {"GET", "/api/v1/households/{id}", households_get_h, BASE_READERS, 0, NULL},
    {"PATCH", "/api/v1/households/{id}", households_patch_h, BASE_READERS, HTTP_WRITE,
     "household.update"},
    {"GET", "/api/v1/organisations", orgs_list_h, BASE_READERS, 0, NULL},
    {"POST", "/api/v1/organisations", orgs_create_h, BASE_WRITERS, HTTP_WRITE,
     "organisation.create"},
    {"GET", "/api/v1/organisations/{id}", orgs_get_h, BASE_READERS, 0, NULL},
    {"PATCH", "/api/v1/organisations/{id}", orgs_patch_h, BASE_READERS, HTTP_WRITE,
     "organisation.update"},
    {"GET", "/api/v1/organisations/{id}/history", orgs_history_h, BASE_READERS, 0, NULL},
    {"GET", "/api/v1/sweeps", sweeps_list_h, BASE_READERS, 0, NULL},
    {"POST", "/api/v1/sweeps", sweeps_create_h, BASE_MANAGERS, HTTP_WRITE, "sweep.create"},
    {"GET", "/api/v1/sweeps/{id}", sweeps_get_h, BASE_READERS, 0, NULL},
    {"PATCH", "/api/v1/sweeps/{id}", sweeps_patch_h, BASE_MANAGERS, HTTP_WRITE, "sweep.update"},
    {"GET", "/api/v1/sweeps/{id}/worklist", sweeps_worklist_h, BASE_READERS, 0, NULL},
    {"GET", "/api/v1/sweeps/{id}/visits", sweeps_visits_h, BASE_READERS, 0, NULL},
    {"POST", "/api/v1/sweeps/{id}/visits", sweeps_visit_h, BASE_WRITERS, HTTP_WRITE, "sweep.visit"},
    {"GET", "/api/v1/sweeps/{id}/progress", sweeps_progress_h, BASE_READERS, 0, NULL},
    {"GET", "/api/v1/rectifications", rectifications_list_h, BASE_READERS, 0, NULL},
    {"POST", "/api/v1/rectifications", rectifications_create_h, BASE_WRITERS, HTTP_WRITE,
     "rectification.create"},
    {"GET", "/api/v1/rectifications/stats", rectifications_stats_h, BASE_READERS, 0, NULL},
    {"GET", "/api/v1/rectifications/{id}", rectifications_get_h, BASE_READERS, 0, NULL},
    {"POST", "/api/v1/rectifications/{id}/actions", rectifications_action_h, BASE_WRITERS,
     HTTP_WRITE, "rectification.action"},

    /* Open311 GeoReport v2: public reads; a post authenticates by its api_key. */
    {"GET", "/open311/v2/{resource}.{fmt}", open311_get_h, 0, HTTP_PUBLIC, NULL},
    {"POST", "/open311/v2/{resource}.{fmt}", open311_post_h, 0,
     HTTP_PUBLIC | HTTP_WRITE | HTTP_FORM, "case.report"},
    {"GET", "/open311/v2/services/{code}.{fmt}", open311_service_h, 0, HTTP_PUBLIC, NULL},
    {"GET", "/open311/v2/requests/{id}.{fmt}", open311_request_h, 0, HTTP_PUBLIC, NULL},
    {"GET", "/open311/v2/tokens/{token}.{fmt}", open311_token_h, 0, HTTP_PUBLIC, NULL},
};

const size_t api_nroutes = sizeof api_routes / sizeof api_routes[0];
