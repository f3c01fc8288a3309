/*
 * mpi.c — the front end's MPI glue (MPI builds, make MPI=1, started by
 * mpirun): start and finish MPI, and exchange the ranks' parts of a result
 * with MPI_Allgatherv.  Without MPI these are no-ops for one process.
 */
#include "cli.h"

#ifdef CASUS_MPI
#include <mpi.h>
#endif

#include <limits.h>
#include <stdlib.h>

#ifdef CASUS_MPI
casus_status cli_mpi_gather(void *ud, double *y, const size_t *off, const size_t *cnt,
                            size_t nparts)
{
    int *ic = ud, *id = ic + nparts;
    for (size_t q = 0; q < nparts; q++) {
        if (cnt[q] > INT_MAX || off[q] > INT_MAX)
            return CASUS_ELIMIT;
        ic[q] = (int)cnt[q];
        id[q] = (int)off[q];
    }
    if (MPI_Allgatherv(MPI_IN_PLACE, 0, MPI_DATATYPE_NULL, y, ic, id, MPI_DOUBLE, MPI_COMM_WORLD) !=
        MPI_SUCCESS)
        return CASUS_EIO;
    return CASUS_OK;
}

bool cli_under_mpirun(void)
{
    return getenv("OMPI_COMM_WORLD_SIZE") || getenv("PMI_SIZE") || getenv("PMIX_RANK");
}
#endif

int *cli_mpi_begin(const struct cli_cmd *cmd, int *rank, int *nranks)
{
    *rank = 0;
    *nranks = 1;
#ifdef CASUS_MPI
    if (!cli_under_mpirun())
        return NULL;
    MPI_Init(NULL, NULL);
    MPI_Comm_rank(MPI_COMM_WORLD, rank);
    MPI_Comm_size(MPI_COMM_WORLD, nranks);
    int *buf = calloc(2 * (size_t)*nranks, sizeof *buf);
    if (!buf) {
        cli_error(cmd, "out of memory");
        MPI_Abort(MPI_COMM_WORLD, CLI_EXIT_FAIL);
    }
    return buf;
#else
    (void)cmd;
    return NULL;
#endif
}

void cli_mpi_end(int *buf)
{
#ifdef CASUS_MPI
    if (buf) {
        free(buf);
        MPI_Finalize();
    }
#else
    (void)buf;
#endif
}
