/* Role codes are the API's; the Chinese names are the ones the seeds use. */
#include "domain/role.h"

#include <string.h>

static const struct {
	const char *code, *zh;
} roles[ROLE_COUNT] = {
    [ROLE_ADMIN] = {"admin", "系统管理员"},
    [ROLE_DISTRICT] = {"district", "区指挥中心"},
    [ROLE_STREET] = {"street", "街道"},
    [ROLE_COMMUNITY] = {"community", "社区"},
    [ROLE_SUPERVISOR] = {"supervisor", "督导员"},
    [ROLE_GRID_LEADER] = {"grid_leader", "网格长"},
    [ROLE_GRID_WORKER] = {"grid_worker", "网格员"},
    [ROLE_BUILDING_LEADER] = {"building_leader", "楼栋长"},
    [ROLE_DEPARTMENT] = {"department", "职能部门"},
    [ROLE_CADRE] = {"cadre", "下沉干部"},
    [ROLE_RESIDENT] = {"resident", "居民"},
};

bool role_parse(const char *code, enum role *out)
{
	for (int i = 0; i < ROLE_COUNT; i++)
		if (code && strcmp(code, roles[i].code) == 0) {
			*out = (enum role)i;
			return true;
		}
	return false;
}

const char *role_code(enum role r)
{
	return r < ROLE_COUNT ? roles[r].code : "";
}

const char *role_name_zh(enum role r)
{
	return r < ROLE_COUNT ? roles[r].zh : "";
}
