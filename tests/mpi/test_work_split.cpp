// mpi/work_split.h: the blocks of a round cover every item exactly once, in order, and differ in
// size by at most one, for every rank count (brute force over small cases).
#include <gtest/gtest.h>

#include <vector>

#include "mpi/work_split.h"

namespace swarm::mpi {
namespace {

TEST(WorkSplit, BlocksCoverEveryItemExactlyOnce) {
    for (std::size_t items : {0u, 1u, 2u, 3u, 7u, 36u, 100u, 1001u}) {
        for (int ranks = 1; ranks <= 9; ++ranks) {
            std::vector<int> runs(items, 0);
            std::size_t next = 0;
            std::size_t smallest = items;
            std::size_t largest = 0;
            for (int rank = 0; rank < ranks; ++rank) {
                const ItemBlock block = block_of(items, ranks, rank);
                EXPECT_EQ(block.begin, next) << items << " items, rank " << rank << "/" << ranks;
                for (std::size_t i = block.begin; i < block.end; ++i) ++runs[i];
                next = block.end;
                smallest = std::min(smallest, block.size());
                largest = std::max(largest, block.size());
            }
            EXPECT_EQ(next, items);
            for (std::size_t i = 0; i < items; ++i) EXPECT_EQ(runs[i], 1) << "item " << i;
            EXPECT_LE(largest - smallest, 1u) << items << " items over " << ranks << " ranks";
        }
    }
}

TEST(WorkSplit, HandSolvedSplit) {
    // 10 items over 4 ranks: 3, 3, 2, 2.
    EXPECT_EQ(block_of(10, 4, 0).begin, 0u);
    EXPECT_EQ(block_of(10, 4, 0).end, 3u);
    EXPECT_EQ(block_of(10, 4, 1).end, 6u);
    EXPECT_EQ(block_of(10, 4, 2).end, 8u);
    EXPECT_EQ(block_of(10, 4, 3).begin, 8u);
    EXPECT_EQ(block_of(10, 4, 3).end, 10u);
    // More ranks than items: the last ranks run none.
    EXPECT_EQ(block_of(2, 3, 2).size(), 0u);
}

}  // namespace
}  // namespace swarm::mpi
