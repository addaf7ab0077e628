/* GET /api/v1/roles: the role codes with their Chinese names, for clients' pickers. */
#include "api/api.h"
#include "core/json.h"

void roles_list_h(struct http_req *req)
{
	if (!api_unpaged(req))
		return;
	json_t *items = json_array();
	for (int r = 0; r < ROLE_COUNT; r++) {
		json_t *o = json_object();
		json_set_str(o, "code", role_code((enum role)r));
		json_set_str(o, "name", role_name_zh((enum role)r));
		json_array_append_new(items, o);
	}
	api_json(req, 200, api_list(items, NULL));
}
